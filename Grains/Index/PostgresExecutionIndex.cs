using System.Text;
using System.Text.Json;
using AgentOrleans.Grains.Executions;
using Npgsql;
using NpgsqlTypes;

namespace AgentOrleans.Grains.Index;

/// <summary>The index as the table <c>ao_execution_index</c>: an upsert guarded by revision, keyset pages on (created_at, id).</summary>
public sealed class PostgresExecutionIndex(IndexDatabase database) : IExecutionIndex
{
    private const string Columns = "tenant, id, workflow_id, version, status, created_at, started_at, completed_at, parent, schedule, error_type, labels, expires_at, revision";

    private static readonly Dictionary<string, ExecutionStatus> Statuses =
        Enum.GetValues<ExecutionStatus>().ToDictionary(s => s.ToWireName(), StringComparer.Ordinal);

    public async Task UpsertAsync(ExecutionSummary summary, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command(
            $"""
            INSERT INTO ao_execution_index ({Columns})
            VALUES (@tenant, @id, @workflow, @version, @status, @created, @started, @completed, @parent, @schedule, @error, @labels, @expires, @revision)
            ON CONFLICT (tenant, id) DO UPDATE SET
                workflow_id = EXCLUDED.workflow_id, version = EXCLUDED.version, status = EXCLUDED.status,
                created_at = EXCLUDED.created_at, started_at = EXCLUDED.started_at, completed_at = EXCLUDED.completed_at,
                parent = EXCLUDED.parent, schedule = EXCLUDED.schedule, error_type = EXCLUDED.error_type,
                labels = EXCLUDED.labels, expires_at = EXCLUDED.expires_at, revision = EXCLUDED.revision
            WHERE ao_execution_index.revision <= EXCLUDED.revision
            """);
        var p = command.Parameters;
        p.AddWithValue("tenant", summary.Tenant);
        p.AddWithValue("id", summary.Id);
        p.AddWithValue("workflow", summary.WorkflowId);
        p.AddWithValue("version", summary.Version);
        p.AddWithValue("status", summary.Status.ToWireName());
        p.AddWithValue("created", summary.CreatedAt.ToUniversalTime());
        p.AddWithValue("started", NpgsqlDbType.TimestampTz, (object?)summary.StartedAt?.ToUniversalTime() ?? DBNull.Value);
        p.AddWithValue("completed", NpgsqlDbType.TimestampTz, (object?)summary.CompletedAt?.ToUniversalTime() ?? DBNull.Value);
        p.AddWithValue("parent", NpgsqlDbType.Text, (object?)summary.Parent ?? DBNull.Value);
        p.AddWithValue("schedule", NpgsqlDbType.Text, (object?)summary.Schedule ?? DBNull.Value);
        p.AddWithValue("error", NpgsqlDbType.Text, (object?)summary.ErrorType ?? DBNull.Value);
        p.AddWithValue("labels", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(summary.Labels));
        p.AddWithValue("expires", NpgsqlDbType.TimestampTz, (object?)summary.ExpiresAt?.ToUniversalTime() ?? DBNull.Value);
        p.AddWithValue("revision", summary.Revision);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ExecutionPage> QueryAsync(ExecutionFilter filter, ExecutionCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command("");
        command.CommandText = QueryText(filter, after, command.Parameters);
        command.Parameters.AddWithValue("limit", limit + 1);
        var rows = await ReadAsync(command, cancellationToken);
        var more = rows.Count > limit;
        var items = rows.Take(limit).ToList();
        return new ExecutionPage(items, more ? ExecutionCursor.After(items[^1]) : null);
    }

    public async Task<IReadOnlyDictionary<ExecutionStatus, long>> CountAsync(ExecutionFilter filter, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command("");
        var sql = new StringBuilder("SELECT status, count(*) FROM ao_execution_index");
        Where(sql, filter, command.Parameters);
        command.CommandText = sql.Append(" GROUP BY status").ToString();
        var counts = new Dictionary<ExecutionStatus, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (Statuses.TryGetValue(reader.GetString(0), out var status))
            {
                counts[status] = reader.GetInt64(1);
            }
        }

        return counts;
    }

    /// <summary>The listing's SQL: only the conditions the filter has, so the planner picks the index that serves them.</summary>
    private static string QueryText(ExecutionFilter filter, ExecutionCursor? after, NpgsqlParameterCollection p)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM ao_execution_index");
        Where(sql, filter, p);
        if (after is not null)
        {
            sql.Append(" AND (created_at, id) < (@afterAt, @afterId)");
            p.AddWithValue("afterAt", after.CreatedAt.ToUniversalTime());
            p.AddWithValue("afterId", after.Id);
        }

        sql.Append(" ORDER BY created_at DESC, id DESC LIMIT @limit");
        return sql.ToString();
    }

    /// <summary>The filter as a WHERE clause, one condition per field it sets; the listing and the counts share it.</summary>
    private static void Where(StringBuilder sql, ExecutionFilter filter, NpgsqlParameterCollection p)
    {
        sql.Append(" WHERE tenant = @tenant");
        p.AddWithValue("tenant", filter.Tenant);
        if (filter.Statuses.Count == 1)
        {
            sql.Append(" AND status = @status");
            p.AddWithValue("status", filter.Statuses[0].ToWireName());
        }
        else if (filter.Statuses.Count > 1)
        {
            sql.Append(" AND status = ANY(@statuses)");
            p.AddWithValue("statuses", filter.Statuses.Select(s => s.ToWireName()).ToArray());
        }

        void Equal(string column, string name, string? value)
        {
            if (value is not null)
            {
                sql.Append(System.Globalization.CultureInfo.InvariantCulture, $" AND {column} = @{name}");
                p.AddWithValue(name, value);
            }
        }

        Equal("workflow_id", "workflow", filter.WorkflowId);
        Equal("parent", "parent", filter.Parent);
        Equal("schedule", "schedule", filter.Schedule);
        if (filter.CreatedAfter is { } createdAfter)
        {
            sql.Append(" AND created_at >= @createdAfter");
            p.AddWithValue("createdAfter", createdAfter.ToUniversalTime());
        }

        if (filter.CreatedBefore is { } createdBefore)
        {
            sql.Append(" AND created_at < @createdBefore");
            p.AddWithValue("createdBefore", createdBefore.ToUniversalTime());
        }

        if (filter.Labels.Count > 0)
        {
            sql.Append(" AND labels @> @labels");
            p.AddWithValue("labels", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(filter.Labels));
        }
    }

    public async Task<ExecutionSummary?> GetAsync(string tenant, string id, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command($"SELECT {Columns} FROM ao_execution_index WHERE tenant = @tenant AND id = @id");
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("id", id);
        return (await ReadAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task DeleteAsync(string tenant, string id, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command("DELETE FROM ao_execution_index WHERE tenant = @tenant AND id = @id");
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ExecutionSummary>> ExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command($"SELECT {Columns} FROM ao_execution_index WHERE expires_at <= @now ORDER BY expires_at LIMIT @limit");
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command, cancellationToken);
    }

    private static async Task<List<ExecutionSummary>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ExecutionSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            rows.Add(new ExecutionSummary(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                Statuses.GetValueOrDefault(reader.GetString(4)), reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt64(13))
            {
                StartedAt = Time(6),
                CompletedAt = Time(7),
                Parent = Text(8),
                Schedule = Text(9),
                ErrorType = Text(10),
                Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(11)) ?? [],
                ExpiresAt = Time(12),
            });
        }

        return rows;
    }
}
