using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Index;

/// <summary>The in-memory index's home: one activation per cluster (key <see cref="Key"/>), so every silo and the Api see one index.</summary>
[Alias("AgentOrleans.IExecutionIndexGrain")]
public interface IExecutionIndexGrain : IGrainWithStringKey
{
    public const string Key = "executions";

    [Alias("Upsert")]
    Task UpsertAsync(ExecutionSummary summary);

    [Alias("Query"), Orleans.Concurrency.ReadOnly]
    Task<ExecutionPage> QueryAsync(ExecutionFilter filter, ExecutionCursor? after, int limit);

    [Alias("Count"), Orleans.Concurrency.ReadOnly]
    Task<Dictionary<ExecutionStatus, long>> CountAsync(ExecutionFilter filter);

    [Alias("Get"), Orleans.Concurrency.ReadOnly]
    Task<ExecutionSummary?> GetAsync(string tenant, string id);

    [Alias("Delete")]
    Task DeleteAsync(string tenant, string id);

    [Alias("Expired"), Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<ExecutionSummary>> ExpiredAsync(DateTimeOffset now, int limit);
}
