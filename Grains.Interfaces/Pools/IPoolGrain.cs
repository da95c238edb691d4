namespace AgentOrleans.Grains.Pools;

/// <summary>
/// A cluster-wide resource pool keyed by its name (such as <c>llm:openai</c>), with the capacity
/// configured under <c>AgentOrleans:Pools:Cluster</c>. Permits are leases: a holder renews its
/// lease while it works, and a holder that stops renewing (its silo died) loses the permits when
/// the lease expires. Waiters are served first by priority, then in arrival order.
/// </summary>
[Alias("AgentOrleans.IPoolGrain")]
public interface IPoolGrain : IGrainWithStringKey
{
    /// <summary>Takes <paramref name="count"/> permits for <paramref name="holderId"/>, or queues it and says where; a waiter calls again to keep its place.</summary>
    [Alias("Acquire")]
    Task<PoolTicket> AcquireAsync(string holderId, int count, int priority);

    /// <summary>Extends the holder's lease; false when it was lost (expired and given away).</summary>
    [Alias("Renew")]
    Task<bool> RenewAsync(string holderId);

    /// <summary>Returns the holder's permits, or takes it out of the queue; unknown holders are ignored.</summary>
    [Alias("Release")]
    Task ReleaseAsync(string holderId);

    /// <summary>Permits in use and holders waiting.</summary>
    [Alias("GetUsage")]
    Task<PoolUsage> GetUsageAsync();
}

/// <summary>The answer to an acquire: granted, or the 1-based position in the queue.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.PoolTicket")]
public sealed record PoolTicket(
    [property: Id(0)] bool Granted,
    [property: Id(1)] int Position,
    [property: Id(2)] int Capacity);

/// <summary>Permits in use, holders waiting, and who holds permits now.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.PoolUsage")]
public sealed record PoolUsage(
    [property: Id(0)] int Capacity,
    [property: Id(1)] int InUse,
    [property: Id(2)] int Waiting)
{
    [Id(3)] public IReadOnlyList<string> Holders { get; init; } = [];
}
