namespace AgentOrleans.Grains.Executions;

/// <summary>A node parked until a signal named <see cref="Signal"/> arrives, or until <see cref="Until"/> (none: no timeout).</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.SignalWait")]
public sealed record SignalWait(
    [property: Id(0)] string NodeId,
    [property: Id(1)] string Signal,
    [property: Id(2)] DateTimeOffset? Until);
