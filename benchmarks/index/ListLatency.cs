using System.Diagnostics;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;

namespace AgentOrleans.Benchmarks.Index;

/// <summary>
/// A page of 50 filtered by status and workflow over <c>rows</c> generated rows (filled with generate_series), through
/// <see cref="PostgresExecutionIndex"/> and, interleaved, the same SQL text sent raw with Npgsql (the floor).
/// Half the pages are first pages, half start at a random row's cursor (a deep page).
/// </summary>
internal static class ListLatency
{
    public const string Tenant = "bench";

    public static async Task<Dictionary<string, object>> RunAsync(IndexDatabase database, int rows, int iterations)
    {
        await FillAsync(database, rows);
        var index = new PostgresExecutionIndex(database);
        var filter = new ExecutionFilter(Tenant) { Statuses = [ExecutionStatus.Failed], WorkflowId = "wf-7" };
        var random = new Random(20);
        var product = new List<double>();
        var floor = new List<double>();
        for (var i = -50; i < iterations; i++)
        {
            var at = random.Next(2) == 0 ? (int?)null : random.Next(1, rows);
            var cursor = at is { } g ? new ExecutionCursor(CreatedAt(g), Id(g)) : null;
            var watch = Stopwatch.StartNew();
            var page = await index.QueryAsync(filter, cursor, 50);
            var productMs = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var rawCount = await RawAsync(database, cursor);
            var floorMs = watch.Elapsed.TotalMilliseconds;
            if (rawCount != Math.Min(page.Items.Count + (page.Next is null ? 0 : 1), 51))
            {
                throw new InvalidOperationException($"the raw query read {rawCount} rows, the index {page.Items.Count}");
            }

            if (i >= 0)
            {
                product.Add(productMs);
                floor.Add(floorMs);
            }
        }

        return new Dictionary<string, object>
        {
            ["rows"] = rows,
            ["iterations"] = iterations,
            ["matching_rows"] = rows / 350,
            ["list_p50_ms"] = Stats.Percentile(product, 50),
            ["list_p99_ms"] = Stats.Percentile(product, 99),
            ["raw_sql_p50_ms"] = Stats.Percentile(floor, 50),
            ["raw_sql_p99_ms"] = Stats.Percentile(floor, 99),
            ["goal_p99_ms"] = 50,
        };
    }

    private static DateTimeOffset CreatedAt(int g) => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(g);

    private static string Id(int g) => "e" + g.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task FillAsync(IndexDatabase database, int rows)
    {
        await using (var clear = database.Command("DELETE FROM ao_execution_index WHERE tenant = @tenant"))
        {
            clear.Parameters.AddWithValue("tenant", Tenant);
            clear.CommandTimeout = 600;
            await clear.ExecuteNonQueryAsync();
        }

        // Statuses cycle over 7, workflows over 50: status failed and workflow wf-7 match one row in 350.
        await using var fill = database.Command(
            """
            INSERT INTO ao_execution_index (tenant, id, workflow_id, version, status, created_at, started_at, completed_at, labels, expires_at, revision)
            SELECT @tenant, 'e' || lpad(g::text, 8, '0'), 'wf-' || (g % 50), 1,
                   (ARRAY['succeeded','succeeded','succeeded','failed','cancelled','running','waiting'])[1 + g % 7],
                   timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second',
                   timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second',
                   timestamptz '2026-01-01 00:00:05+00' + g * interval '1 second',
                   jsonb_build_object('team', 'team-' || (g % 10)), NULL, 3
            FROM generate_series(1, @rows) g
            """);
        fill.Parameters.AddWithValue("tenant", Tenant);
        fill.Parameters.AddWithValue("rows", rows);
        fill.CommandTimeout = 600;
        await fill.ExecuteNonQueryAsync();
        await using var analyze = database.Command("ANALYZE ao_execution_index");
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task<int> RawAsync(IndexDatabase database, ExecutionCursor? cursor)
    {
        var sql = "SELECT tenant, id, workflow_id, version, status, created_at, started_at, completed_at, parent, schedule, error_type, labels, expires_at, revision"
            + " FROM ao_execution_index WHERE tenant = @tenant AND status = @status AND workflow_id = @workflow"
            + (cursor is null ? "" : " AND (created_at, id) < (@afterAt, @afterId)")
            + " ORDER BY created_at DESC, id DESC LIMIT 51";
        await using var command = database.Command(sql);
        command.Parameters.AddWithValue("tenant", Tenant);
        command.Parameters.AddWithValue("status", "failed");
        command.Parameters.AddWithValue("workflow", "wf-7");
        if (cursor is not null)
        {
            command.Parameters.AddWithValue("afterAt", cursor.CreatedAt);
            command.Parameters.AddWithValue("afterId", cursor.Id);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var count = 0;
        while (await reader.ReadAsync())
        {
            count++;
        }

        return count;
    }
}

internal static class Stats
{
    public static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return Math.Round(sorted[Math.Clamp(rank, 0, sorted.Count - 1)], 3);
    }
}
