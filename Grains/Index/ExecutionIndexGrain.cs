using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Index;

/// <summary>
/// Holds the in-memory index (embedded default and memory-storage clusters). It keeps no state of its own in storage:
/// like memory grain storage it lives as long as its silo, and it never deactivates while the silo runs.
/// </summary>
internal sealed class ExecutionIndexGrain : Grain, IExecutionIndexGrain
{
    private readonly ExecutionIndexTable _table = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Idle collection would drop every row: the index is the only copy of what it holds.
        this.DelayDeactivation(TimeSpan.MaxValue);
        return Task.CompletedTask;
    }

    public Task UpsertAsync(ExecutionSummary summary)
    {
        _table.Upsert(summary);
        return Task.CompletedTask;
    }

    public Task<ExecutionPage> QueryAsync(ExecutionFilter filter, ExecutionCursor? after, int limit) => Task.FromResult(_table.Query(filter, after, limit));

    public Task<Dictionary<ExecutionStatus, long>> CountAsync(ExecutionFilter filter) => Task.FromResult(_table.CountByStatus(filter));

    public Task<ExecutionSummary?> GetAsync(string tenant, string id) => Task.FromResult(_table.Get(tenant, id));

    public Task DeleteAsync(string tenant, string id)
    {
        _table.Delete(tenant, id);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ExecutionSummary>> ExpiredAsync(DateTimeOffset now, int limit) =>
        Task.FromResult<IReadOnlyList<ExecutionSummary>>(_table.Expired(now, limit));
}
