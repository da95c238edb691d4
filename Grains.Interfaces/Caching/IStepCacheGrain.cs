namespace AgentOrleans.Grains.Caching;

/// <summary>
/// One cached step output, keyed <c>{tenant}/{hash}</c> (the default tenant's: the bare hash) where the hash covers the
/// workflow, the node and its rendered cache key. An entry past its expiry is a miss and is cleared.
/// </summary>
[Alias("AgentOrleans.IStepCacheGrain")]
public interface IStepCacheGrain : IGrainWithStringKey
{
    /// <summary>The stored output while it is fresh; null when there is none or it expired.</summary>
    [Alias("Get")]
    Task<CachedStep?> GetAsync();

    /// <summary>Stores <paramref name="entry"/> for <paramref name="ttl"/> from now, replacing what was there.</summary>
    [Alias("Put")]
    Task PutAsync(CachedStep entry, TimeSpan ttl);
}

/// <summary>A step's successful result as JSON text: its output and the patch it merged into the run's state.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.CachedStep")]
public sealed record CachedStep(
    [property: Id(0)] string? OutputJson,
    [property: Id(1)] string? StatePatchJson);
