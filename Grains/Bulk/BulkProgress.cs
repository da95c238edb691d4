namespace AgentOrleans.Grains.Bulk;

/// <summary>
/// How far a bulk operation got: <see cref="Matched"/> executions found so far (all of them once completed), each
/// counted once as <see cref="Done"/> (the action took effect, or already had), <see cref="Skipped"/> (it did not apply:
/// a cancel of a run that ended otherwise, a re-run of one that has not ended) or <see cref="Failed"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.BulkProgress")]
public sealed record BulkProgress(
    [property: Id(0)] string Id,
    [property: Id(1)] BulkRequest Request,
    [property: Id(2)] bool Completed,
    [property: Id(3)] long Matched,
    [property: Id(4)] long Done,
    [property: Id(5)] long Skipped,
    [property: Id(6)] long Failed,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset? CompletedAt,
    [property: Id(9)] IReadOnlyList<BulkError> Errors);

/// <summary>Why the action failed on one execution (its bare id).</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.BulkError")]
public sealed record BulkError([property: Id(0)] string ExecutionId, [property: Id(1)] string Message);

[GenerateSerializer, Alias("AgentOrleans.BulkStartOutcome")]
public enum BulkStartOutcome
{
    Started,
    AlreadyStarted,
    /// <summary>An operation with this id exists for a different request.</summary>
    Conflict,
}

[GenerateSerializer, Immutable, Alias("AgentOrleans.BulkStartResult")]
public sealed record BulkStartResult([property: Id(0)] BulkStartOutcome Outcome, [property: Id(1)] BulkProgress Progress);
