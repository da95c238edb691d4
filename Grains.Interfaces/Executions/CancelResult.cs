namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The answer to a cancel request. <see cref="Accepted"/> is false when the execution had
/// already finished (nothing changed) or does not exist.
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.CancelResult")]
public sealed record CancelResult(
    [property: Id(0)] bool Exists,
    [property: Id(1)] bool Accepted,
    [property: Id(2)] ExecutionStatus? Status,
    [property: Id(3)] string Message);
