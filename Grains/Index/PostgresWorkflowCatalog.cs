using NpgsqlTypes;

namespace AgentOrleans.Grains.Index;

/// <summary>The catalog as the table <c>ao_workflow_catalog</c>.</summary>
public sealed class PostgresWorkflowCatalog(IndexDatabase database) : IWorkflowCatalog
{
    public async Task UpsertAsync(WorkflowSummary workflow, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command(
            """
            INSERT INTO ao_workflow_catalog (tenant, id, latest_version, description, updated_at) VALUES (@tenant, @id, @version, @description, @updated)
            ON CONFLICT (tenant, id) DO UPDATE SET latest_version = EXCLUDED.latest_version, description = EXCLUDED.description, updated_at = EXCLUDED.updated_at
            WHERE ao_workflow_catalog.latest_version <= EXCLUDED.latest_version
            """);
        command.Parameters.AddWithValue("tenant", workflow.Tenant);
        command.Parameters.AddWithValue("id", workflow.Id);
        command.Parameters.AddWithValue("version", workflow.LatestVersion);
        command.Parameters.AddWithValue("description", NpgsqlDbType.Text, (object?)workflow.Description ?? DBNull.Value);
        command.Parameters.AddWithValue("updated", workflow.UpdatedAt.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<WorkflowPage> ListAsync(string tenant, string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.Command(
            "SELECT id, latest_version, description, updated_at FROM ao_workflow_catalog WHERE tenant = @tenant AND id > @after ORDER BY id LIMIT @limit");
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("after", afterId ?? "");
        command.Parameters.AddWithValue("limit", limit + 1);
        var rows = new List<WorkflowSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new WorkflowSummary(tenant, reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        var items = rows.Take(limit).ToList();
        return new WorkflowPage(items, rows.Count > limit ? items[^1].Id : null);
    }
}
