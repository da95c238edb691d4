namespace AgentOrleans.Grains.Executions;

/// <summary>A signal for an execution: its name, its JSON payload, who sent it and the caller's idempotency key.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.SendSignal")]
public sealed record SendSignal(
    [property: Id(0)] string Name,
    [property: Id(1)] string? PayloadJson,
    [property: Id(2)] string? IdempotencyKey,
    [property: Id(3)] string? By);
