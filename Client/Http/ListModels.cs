namespace AgentOrleans.Client.Http;

/// <summary>
/// The filter of <c>GET /v1/executions</c> (and of the bulk actions): every set field must match. Statuses are wire
/// names (<c>running</c>, <c>failed</c>, …); a label is <c>key:value</c>.
/// </summary>
public sealed record ExecutionFilter
{
    public IReadOnlyList<string>? Statuses { get; init; }

    public string? WorkflowId { get; init; }

    public DateTimeOffset? CreatedAfter { get; init; }

    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Labels the execution must carry, each with this value.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Only the children of this execution.</summary>
    public string? Parent { get; init; }

    /// <summary>Only the executions this schedule fired.</summary>
    public string? Schedule { get; init; }

    internal IEnumerable<(string Name, string? Value)> Parameters()
    {
        yield return ("status", Statuses is { Count: > 0 } statuses ? string.Join(',', statuses) : null);
        yield return ("workflowId", WorkflowId);
        yield return ("createdAfter", CreatedAfter?.ToString("O"));
        yield return ("createdBefore", CreatedBefore?.ToString("O"));
        foreach (var (key, value) in Labels ?? new Dictionary<string, string>())
        {
            yield return ("label", $"{key}:{value}");
        }

        yield return ("parent", Parent);
        yield return ("schedule", Schedule);
    }
}

/// <summary>One page of executions, newest first; <see cref="NextCursor"/> fetches the next (null on the last page).</summary>
public sealed record ExecutionPage(IReadOnlyList<ExecutionListItem> Items, string? NextCursor);

/// <summary>An execution as the index shows it; <see cref="AgentOrleansClient.GetAsync"/> has the whole of it.</summary>
public sealed record ExecutionListItem(
    string Id,
    string WorkflowId,
    int Version,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? Parent,
    string? Schedule,
    string? ErrorType,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset? ExpiresAt);

/// <summary>Executions per status, keyed by wire name (<c>running</c>, <c>timed_out</c>, …), and their sum.</summary>
public sealed record ExecutionCounts(IReadOnlyDictionary<string, long> Counts, long Total);

/// <summary>One page of published workflows in id order.</summary>
public sealed record WorkflowPage(IReadOnlyList<WorkflowListItem> Items, string? NextCursor);

public sealed record WorkflowListItem(string Id, int LatestVersion, string? Description, DateTimeOffset UpdatedAt);
