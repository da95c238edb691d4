using AgentOrleans.Grains.Index;

namespace AgentOrleans.Grains.Bulk;

/// <summary>The filter as an operation applies it: only executions created before the operation.</summary>
public static class BulkFilter
{
    /// <summary>
    /// Bounded by the operation's creation, so the set it walks is fixed: the re-runs it starts (new executions, which may
    /// match the filter, as a failed re-run of a failed run does) are never taken up again, nor runs started meanwhile.
    /// </summary>
    public static ExecutionFilter Frozen(ExecutionFilter filter, DateTimeOffset createdAt) =>
        filter with { CreatedBefore = filter.CreatedBefore is { } before && before < createdAt ? before : createdAt };
}
