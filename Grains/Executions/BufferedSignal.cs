namespace AgentOrleans.Grains.Executions;

/// <summary>A signal accepted before any node took it, kept in arrival order with the execution's state.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.BufferedSignal")]
public sealed record BufferedSignal(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? PayloadJson,
    [property: Id(3)] string? By,
    [property: Id(4)] DateTimeOffset At);
