using System.Diagnostics;
using System.Text.Json;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Retention;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentOrleans.Benchmarks.Index;

/// <summary>
/// Finished 3-step runs on a silo in this process with PostgreSQL storage: the bytes they add to the grain-state table
/// and the index (beside the bytes of their events as JSON: what a run says), then the sweeper deleting them all
/// (beside the same three writes per run sent raw, at the sweeper's concurrency).
/// </summary>
internal static class RunsOnPostgres
{
    public static async Task<Dictionary<string, object>> RunAsync(string postgres, IndexDatabase database, int runs)
    {
        var serviceId = $"index-bench-{Guid.NewGuid():N}";
        var settings = new Dictionary<string, string?>
        {
            ["AgentOrleans:Cluster:Clustering"] = "Localhost",
            ["AgentOrleans:Cluster:SiloPort"] = "11995",
            ["AgentOrleans:Cluster:GatewayPort"] = "30995",
            ["AgentOrleans:Cluster:ServiceId"] = serviceId,
            ["AgentOrleans:Cluster:ClusterId"] = serviceId,
            ["AgentOrleans:Cluster:Storage"] = "Postgres",
            ["AgentOrleans:Cluster:Reminders"] = "Postgres",
            ["AgentOrleans:Cluster:PostgresConnectionString"] = postgres,
            ["AgentOrleans:Cluster:Dashboard"] = "false",
            ["AgentOrleans:Retention:SweepPeriod"] = "00:00:00",
            ["AgentOrleans:Retention:BatchSize"] = "500",
            ["AgentOrleans:Retention:BatchPause"] = "00:00:00",
            ["AgentOrleans:Retention:MaxBatchesPerSweep"] = "1000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleans(silo => silo.AddAgentOrleans(builder.Configuration));
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        try
        {
            var workflowId = $"three-steps-{Guid.NewGuid():N}";
            var set = new Dictionary<string, object> { ["set"] = new Dictionary<string, object> { ["x"] = 1 } };
            var definition = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["id"] = workflowId,
                ["start"] = "a",
                ["retention"] = new Dictionary<string, string> { ["succeeded"] = "1s" },
                ["nodes"] = new Dictionary<string, object>
                {
                    ["a"] = new Dictionary<string, object> { ["type"] = "transform", ["with"] = set },
                    ["b"] = new Dictionary<string, object> { ["type"] = "transform", ["with"] = set },
                    ["c"] = new Dictionary<string, object> { ["type"] = "transform", ["with"] = set },
                },
                ["edges"] = new[] { new Dictionary<string, string> { ["from"] = "a", ["to"] = "b" }, new Dictionary<string, string> { ["from"] = "b", ["to"] = "c" } },
            });
            var published = await grains.GetGrain<IWorkflowDefinitionGrain>(workflowId).PublishAsync(definition);
            if (!published.IsValid)
            {
                throw new InvalidOperationException(string.Join("; ", published.Problems.Select(p => p.Message)));
            }

            var before = await SizesAsync(database);
            var ids = Enumerable.Range(0, runs).Select(i => $"bench-{serviceId}-{i}").ToList();
            foreach (var chunk in ids.Chunk(20))
            {
                await Task.WhenAll(chunk.Select(id => grains.GetGrain<IExecutionGrain>(id).StartAsync(new StartExecution(workflowId, null, "{}"))));
                await Task.WhenAll(chunk.Select(id => grains.GetGrain<IExecutionGrain>(id).WaitAsync(TimeSpan.FromSeconds(30))));
            }

            var index = host.Services.GetRequiredService<IExecutionIndex>();
            await UntilIndexedAsync(index, ids[^1]);
            var after = await SizesAsync(database);
            var events = await grains.GetGrain<IExecutionGrain>(ids[0]).GetEventsAsync(0, 1000);
            var eventJsonBytes = JsonSerializer.SerializeToUtf8Bytes(events.Events).Length;
            var payloadBytes = await PayloadBytesAsync(database, serviceId);

            await Task.Delay(TimeSpan.FromSeconds(1.5)); // past the runs' 1 s retention
            var watch = Stopwatch.StartNew();
            var swept = await grains.GetGrain<IRetentionSweeperGrain>(IRetentionSweeperGrain.Key).SweepAsync();
            var sweepSeconds = watch.Elapsed.TotalSeconds;
            var floorPerSecond = await RawDeletesPerSecondAsync(database, runs, payloadBytes / Math.Max(1, runs));

            return new Dictionary<string, object>
            {
                ["runs"] = runs,
                ["state_table_bytes_per_run"] = (after.State - before.State) / (double)runs,
                ["index_table_bytes_per_run"] = (after.Index - before.Index) / (double)runs,
                ["state_payload_bytes_per_run"] = payloadBytes / (double)runs,
                ["events_json_bytes_per_run"] = eventJsonBytes,
                ["events_per_run"] = events.Events.Count,
                ["sweeper_deleted"] = swept.Deleted,
                ["sweeper_deletions_per_s"] = Math.Round(swept.Deleted / sweepSeconds, 1),
                ["raw_sql_deletions_per_s"] = Math.Round(floorPerSecond, 1),
            };
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task UntilIndexedAsync(IExecutionIndex index, string id)
    {
        var deadline = Stopwatch.StartNew();
        while ((await index.GetAsync("default", id))?.ExpiresAt is null)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"{id} was not indexed as finished");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<(long State, long Index)> SizesAsync(IndexDatabase database)
    {
        await using var command = database.Command("SELECT pg_total_relation_size('orleansstorage'), pg_total_relation_size('ao_execution_index')");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<long> PayloadBytesAsync(IndexDatabase database, string serviceId)
    {
        await using var command = database.Command("SELECT coalesce(sum(octet_length(payloadbinary)), 0) FROM orleansstorage WHERE serviceid = @service AND graintypestring = 'execution'");
        command.Parameters.AddWithValue("service", serviceId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The sweeper's three writes per run (a tombstone, the state row, the index row), raw, four at a time as the sweeper.</summary>
    private static async Task<double> RawDeletesPerSecondAsync(IndexDatabase database, int runs, long payloadBytes)
    {
        await using (var setup = database.Command(
            """
            DROP TABLE IF EXISTS bench_state; CREATE TABLE bench_state (id text PRIMARY KEY, payload bytea);
            INSERT INTO bench_state SELECT 'raw-' || g, decode(repeat('ab', @bytes), 'hex') FROM generate_series(1, @runs) g;
            INSERT INTO ao_execution_index (tenant, id, workflow_id, version, status, created_at, labels, revision)
            SELECT 'bench-raw', 'raw-' || g, 'w', 1, 'succeeded', now(), '{}', 1 FROM generate_series(1, @runs) g ON CONFLICT DO NOTHING;
            """))
        {
            setup.Parameters.AddWithValue("bytes", (int)Math.Max(1, payloadBytes));
            setup.Parameters.AddWithValue("runs", runs);
            await setup.ExecuteNonQueryAsync();
        }

        var watch = Stopwatch.StartNew();
        foreach (var chunk in Enumerable.Range(1, runs).Chunk(4))
        {
            await Task.WhenAll(chunk.Select(async g =>
            {
                await using var command = database.Command(
                    """
                    INSERT INTO ao_execution_tombstones (tenant, id, deleted_at, keep_until) VALUES ('bench-raw', @id, now(), now() + interval '30 days')
                    ON CONFLICT (tenant, id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at;
                    DELETE FROM bench_state WHERE id = @id;
                    DELETE FROM ao_execution_index WHERE tenant = 'bench-raw' AND id = @id
                    """);
                command.Parameters.AddWithValue("id", $"raw-{g}");
                await command.ExecuteNonQueryAsync();
            }));
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await using var drop = database.Command("DROP TABLE bench_state; DELETE FROM ao_execution_tombstones WHERE tenant = 'bench-raw'");
        await drop.ExecuteNonQueryAsync();
        return runs / seconds;
    }
}
