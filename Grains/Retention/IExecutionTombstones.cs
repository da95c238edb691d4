namespace AgentOrleans.Grains.Retention;

/// <summary>
/// What is left of a deleted execution: its id and when it was deleted, kept until <c>keepUntil</c> so the id answers
/// 404 with reason <c>deleted</c> rather than a plain 404. Beside the index (in memory or PostgreSQL).
/// </summary>
public interface IExecutionTombstones
{
    Task AddAsync(string tenant, string id, DateTimeOffset deletedAt, DateTimeOffset keepUntil, CancellationToken cancellationToken = default);

    /// <summary>When the execution was deleted, if its tombstone is kept at <paramref name="now"/>; null otherwise.</summary>
    Task<DateTimeOffset?> DeletedAtAsync(string tenant, string id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Removes up to <paramref name="limit"/> tombstones kept no longer at <paramref name="now"/>; how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);
}
