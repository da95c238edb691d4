namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The answer to a pause or a resume: whether the execution exists, whether anything changed (asking twice
/// changes nothing the second time), its status and a sentence for the caller.
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ControlResult")]
public sealed record ControlResult(
    [property: Id(0)] bool Exists,
    [property: Id(1)] bool Changed,
    [property: Id(2)] ExecutionStatus? Status,
    [property: Id(3)] string Message);
