namespace AgentOrleans.Grains.Executions;

/// <summary>Why an execution failed: the error's type and message, and the node and attempt it came from.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ExecutionError")]
public sealed record ExecutionError(
    [property: Id(0)] string Type,
    [property: Id(1)] string Message,
    [property: Id(2)] string? NodeId,
    [property: Id(3)] int? Attempt);
