using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Index;

/// <summary>
/// What the index knows of one execution: enough to list and filter it without waking its grain. Ids are bare (as the
/// tenant's callers name them); <see cref="Tenant"/> says whose. <see cref="Revision"/> grows with every status change
/// of the execution (its last event seq when written): an upsert with a lower revision than the stored one is stale and
/// changes nothing, so upserts may be repeated and may arrive out of order.
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ExecutionSummary")]
public sealed record ExecutionSummary(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string Id,
    [property: Id(2)] string WorkflowId,
    [property: Id(3)] int Version,
    [property: Id(4)] ExecutionStatus Status,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] long Revision)
{
    [Id(7)] public DateTimeOffset? StartedAt { get; init; }

    [Id(8)] public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The bare id of the execution that started this one as a child.</summary>
    [Id(9)] public string? Parent { get; init; }

    /// <summary>The bare id of the schedule that fired this execution.</summary>
    [Id(10)] public string? Schedule { get; init; }

    /// <summary>The type of the error a failed execution ended with.</summary>
    [Id(11)] public string? ErrorType { get; init; }

    [Id(12)] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>When retention deletes this finished execution; null while it runs.</summary>
    [Id(13)] public DateTimeOffset? ExpiresAt { get; init; }
}
