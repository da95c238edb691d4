using AgentOrleans.Grains.Index;

namespace AgentOrleans.Grains.Retention;

/// <summary>The tombstones as the table <c>ao_execution_tombstones</c>.</summary>
public sealed class PostgresExecutionTombstones(IndexDatabase database) : IExecutionTombstones
{
    public async Task AddAsync(string tenant, string id, DateTimeOffset deletedAt, DateTimeOffset keepUntil, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command(
            """
            INSERT INTO ao_execution_tombstones (tenant, id, deleted_at, keep_until) VALUES (@tenant, @id, @deleted, @keep)
            ON CONFLICT (tenant, id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at, keep_until = EXCLUDED.keep_until
            """);
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("deleted", deletedAt.ToUniversalTime());
        command.Parameters.AddWithValue("keep", keepUntil.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DateTimeOffset?> DeletedAtAsync(string tenant, string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command("SELECT deleted_at FROM ao_execution_tombstones WHERE tenant = @tenant AND id = @id AND keep_until > @now");
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetFieldValue<DateTimeOffset>(0) : null;
    }

    public async Task<int> PurgeAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command(
            "DELETE FROM ao_execution_tombstones WHERE (tenant, id) IN (SELECT tenant, id FROM ao_execution_tombstones WHERE keep_until <= @now LIMIT @limit)");
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.AddWithValue("limit", limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
