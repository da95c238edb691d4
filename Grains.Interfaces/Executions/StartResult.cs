namespace AgentOrleans.Grains.Executions;

/// <summary>The outcome of a start: the snapshot, or why the start was refused.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.StartResult")]
public sealed record StartResult(
    [property: Id(0)] StartOutcome Outcome,
    [property: Id(1)] ExecutionSnapshot? Execution,
    [property: Id(2)] IReadOnlyList<Workflows.DefinitionProblem> Problems)
{
    /// <summary>When <see cref="StartOutcome.Overloaded"/>: how long to wait before trying again.</summary>
    [Id(3)] public TimeSpan? RetryAfter { get; init; }
}

[GenerateSerializer, Alias("AgentOrleans.StartOutcome")]
public enum StartOutcome
{
    /// <summary>A new execution was recorded and its run begun.</summary>
    Started,
    /// <summary>The same start was made before; the existing execution is returned.</summary>
    AlreadyStarted,
    /// <summary>An execution with this id exists for a different request.</summary>
    Conflict,
    /// <summary>No such workflow or version.</summary>
    WorkflowNotFound,
    /// <summary>The input is not JSON or does not match the workflow's input schema.</summary>
    InvalidInput,

    /// <summary>Admission control refused the start: too many executions are queued or running. Nothing was recorded.</summary>
    Overloaded,
}
