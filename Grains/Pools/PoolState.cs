namespace AgentOrleans.Grains.Pools;

/// <summary>Holders of a cluster pool's permits; waiters are not persisted (they ask again).</summary>
[GenerateSerializer, Alias("AgentOrleans.PoolState")]
public sealed class PoolState
{
    [Id(0)] public Dictionary<string, PoolLease> Holders { get; set; } = [];
}

[GenerateSerializer, Alias("AgentOrleans.PoolLease")]
public sealed record PoolLease(
    [property: Id(0)] int Count,
    [property: Id(1)] DateTimeOffset ExpiresAt);
