using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Index;

/// <summary>The in-memory index as seen from any silo or the Api: calls to its one grain.</summary>
public sealed class MemoryExecutionIndex(IGrainFactory grains) : IExecutionIndex
{
    private IExecutionIndexGrain Grain => grains.GetGrain<IExecutionIndexGrain>(IExecutionIndexGrain.Key);

    public Task UpsertAsync(ExecutionSummary summary, CancellationToken cancellationToken = default) => Grain.UpsertAsync(summary);

    public Task<ExecutionPage> QueryAsync(ExecutionFilter filter, ExecutionCursor? after, int limit, CancellationToken cancellationToken = default) =>
        Grain.QueryAsync(filter, after, limit);

    public async Task<IReadOnlyDictionary<ExecutionStatus, long>> CountAsync(ExecutionFilter filter, CancellationToken cancellationToken = default) =>
        await Grain.CountAsync(filter);

    public Task<ExecutionSummary?> GetAsync(string tenant, string id, CancellationToken cancellationToken = default) => Grain.GetAsync(tenant, id);

    public Task DeleteAsync(string tenant, string id, CancellationToken cancellationToken = default) => Grain.DeleteAsync(tenant, id);

    public Task<IReadOnlyList<ExecutionSummary>> ExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        Grain.ExpiredAsync(now, limit);
}
