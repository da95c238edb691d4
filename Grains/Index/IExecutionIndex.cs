using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Index;

/// <summary>
/// The listable index of executions, one row per execution: in memory in the embedded default
/// (<see cref="MemoryExecutionIndex"/>), a PostgreSQL table in distributed mode (<see cref="PostgresExecutionIndex"/>).
/// Writes are at-least-once and idempotent (docs/decisions.md#execution-index-at-least-once): an upsert whose
/// <see cref="ExecutionSummary.Revision"/> is lower than the stored one is ignored.
/// </summary>
public interface IExecutionIndex
{
    /// <summary>Inserts or replaces the execution's row unless a newer revision is stored.</summary>
    Task UpsertAsync(ExecutionSummary summary, CancellationToken cancellationToken = default);

    /// <summary>The filter's executions newest first (then by id descending), strictly after <paramref name="after"/>.</summary>
    Task<ExecutionPage> QueryAsync(ExecutionFilter filter, ExecutionCursor? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>How many of the filter's executions are in each status (a status with none is left out): one query, no rows read out.</summary>
    Task<IReadOnlyDictionary<ExecutionStatus, long>> CountAsync(ExecutionFilter filter, CancellationToken cancellationToken = default);

    Task<ExecutionSummary?> GetAsync(string tenant, string id, CancellationToken cancellationToken = default);

    /// <summary>Removes the execution's row; nothing when there is none.</summary>
    Task DeleteAsync(string tenant, string id, CancellationToken cancellationToken = default);

    /// <summary>Finished executions of every tenant whose retention ended at or before <paramref name="now"/>, oldest expiry first.</summary>
    Task<IReadOnlyList<ExecutionSummary>> ExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);
}
