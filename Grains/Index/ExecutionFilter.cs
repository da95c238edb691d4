using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Index;

/// <summary>Which executions of one tenant a listing shows; every condition given must hold (labels: each pair).</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ExecutionFilter")]
public sealed record ExecutionFilter([property: Id(0)] string Tenant)
{
    /// <summary>Any of these statuses; empty: any status.</summary>
    [Id(1)] public IReadOnlyList<ExecutionStatus> Statuses { get; init; } = [];

    [Id(2)] public string? WorkflowId { get; init; }

    /// <summary>Created at or after (inclusive).</summary>
    [Id(3)] public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Created before (exclusive).</summary>
    [Id(4)] public DateTimeOffset? CreatedBefore { get; init; }

    [Id(5)] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Children of this execution (a bare id).</summary>
    [Id(6)] public string? Parent { get; init; }

    /// <summary>Fired by this schedule (a bare id).</summary>
    [Id(7)] public string? Schedule { get; init; }

    /// <summary>Whether <paramref name="summary"/> passes every condition; the memory index's test, the SQL one's reference.</summary>
    public bool Matches(ExecutionSummary summary) =>
        summary.Tenant == Tenant
        && (Statuses.Count == 0 || Statuses.Contains(summary.Status))
        && (WorkflowId is null || summary.WorkflowId == WorkflowId)
        && (CreatedAfter is null || summary.CreatedAt >= CreatedAfter)
        && (CreatedBefore is null || summary.CreatedAt < CreatedBefore)
        && (Parent is null || summary.Parent == Parent)
        && (Schedule is null || summary.Schedule == Schedule)
        && Labels.All(l => summary.Labels.TryGetValue(l.Key, out var value) && value == l.Value);
}
