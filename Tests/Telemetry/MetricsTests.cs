using System.Text.Json.Nodes;
using AgentOrleans.Grains.Telemetry;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Telemetry;

[Collection(MetricsApiCollection.Name)]
public sealed class MetricsTests(MetricsApiFactory factory, LocalHttpServer server) : IClassFixture<LocalHttpServer>
{
    /// <summary>Every instrument docs/observability.md lists, as Prometheus series: the name, and labels a series of it must carry.</summary>
    private static readonly (string Name, string[] Labels)[] Instruments =
    [
        ("agentorleans_executions_started_total", ["workflow="]),
        ("agentorleans_executions_completed_total", ["workflow="]),
        ("agentorleans_executions_failed_total", ["workflow=", "status=\"failed\""]),
        ("agentorleans_executions_cancelled_total", ["workflow="]),
        ("agentorleans_executions_running", ["workflow="]),
        ("agentorleans_executions_queued", ["workflow="]),
        ("agentorleans_node_duration_seconds_bucket", ["node=", "outcome=\"succeeded\""]),
        ("agentorleans_node_retries_total", ["node="]),
        ("agentorleans_events_delivery_lag_seconds_bucket", ["type="]),
        ("agentorleans_compile_cache_hits_total", []),
        ("agentorleans_compile_cache_misses_total", []),
        ("agentorleans_pool_wait_seconds_bucket", [$"pool=\"{ApiFactory.SiloPool}\""]),
        ("agentorleans_pool_wait_seconds_bucket", [$"pool=\"{ApiFactory.ClusterPool}\""]),
        ("agentorleans_pool_in_use", [$"pool=\"{ApiFactory.SiloPool}\""]),
        ("agentorleans_pool_in_use", [$"pool=\"{ApiFactory.ClusterPool}\""]),
        ("agentorleans_pool_capacity", [$"pool=\"{ApiFactory.SiloPool}\"", "scope=\"silo\""]),
        ("agentorleans_pool_capacity", [$"pool=\"{ApiFactory.ClusterPool}\"", "scope=\"cluster\""]),
        ("agentorleans_http_breaker_state", ["authority="]),
        ("dotnet_gc_pause_time_seconds_total", []),
        ("dotnet_gc_collections_total", ["gc_heap_generation="]),
    ];

    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task TheMetricsEndpointExposesEveryInstrumentOfTheIssueAfterProducingIt()
    {
        var succeeds = await _api.PublishAsync(new JsonObject
        {
            ["flaky"] = Node("test.flaky", new JsonObject { ["failures"] = 1 }, retry: new JsonObject { ["maxAttempts"] = 2, ["initialDelay"] = "10ms" }),
        });
        var fails = await _api.PublishAsync(new JsonObject { ["broken"] = Node("test.flaky", new JsonObject { ["failures"] = 9 }) });
        var blocks = await _api.PublishAsync(new JsonObject { ["wait"] = Node("test.block") });
        var pooled = Node("http", new JsonObject { ["url"] = $"{server.BaseUrl}/ok/{NewId("k")}" });
        pooled["needs"] = new JsonObject { [ApiFactory.SiloPool] = 1, [ApiFactory.ClusterPool] = 1 };
        var callsOut = await _api.PublishAsync(new JsonObject { ["call"] = pooled });
        var ok = await _api.StartAsync(succeeds);
        await _api.WaitTerminalAsync(await _api.StartAsync(callsOut));
        var failed = await _api.StartAsync(fails);
        var cancelled = await _api.StartAsync(blocks);
        await SignalAsync(TestSteps.StartedSignal(cancelled, "wait"), "the blocking step to start");
        await _api.Http.PostAsync($"/v1/executions/{cancelled}/cancel", null);
        await ApiClient.ReadEventsAsync(await _api.OpenEventStreamAsync(ok));
        await _api.WaitTerminalAsync(failed);
        await _api.WaitTerminalAsync(cancelled);

        List<string> series = [];
        var missing = await MissingFromScrapesAsync(lines =>
        {
            series = lines.Where(l => l.StartsWith("agentorleans_", StringComparison.Ordinal) || l.StartsWith("dotnet_", StringComparison.Ordinal)).ToList();
            return Instruments.Where(i => !series.Any(l => Matches(l, i))).Select(i => $"{i.Name}{{{string.Join(',', i.Labels)}}}").ToList();
        });

        Assert.True(missing.Count == 0, $"expected every instrument on /metrics; missing {string.Join(", ", missing)}; saw the series\n{string.Join('\n', series.Select(l => l.Split('{', ' ')[0]).Distinct())}");
    }

    [Fact]
    public async Task LatencyHistogramsHaveBucketsOfMillisecondsToHours()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        await ApiClient.ReadEventsAsync(await _api.OpenEventStreamAsync(await _api.StartAsync(workflowId)));

        // Every series of a histogram carries all its boundaries, so any series of each shows them.
        (string Histogram, string Le)[] expected =
        [
            ("agentorleans_events_delivery_lag_seconds_bucket", "0.001"),
            ("agentorleans_events_delivery_lag_seconds_bucket", "0.01"),
            ("agentorleans_node_duration_seconds_bucket", "0.005"),
            ("agentorleans_node_duration_seconds_bucket", "3600"),
        ];
        var missing = await MissingFromScrapesAsync(lines => [.. expected
            .Where(b => !lines.Any(l => l.StartsWith(b.Histogram + "{", StringComparison.Ordinal) && l.Contains($"le=\"{b.Le}\"}}", StringComparison.Ordinal)))
            .Select(b => $"{b.Histogram} le={b.Le}")]);

        Assert.True(missing.Count == 0, $"missing buckets: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task StartedAndCompletedCountersMoveByWorkflow()
    {
        using var recorder = new MetricRecorder(factory.Services.GetRequiredService<AgentOrleansMetrics>().Meter);
        var workflowId = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count"), ["b"] = Node("test.count") });

        await _api.WaitTerminalAsync(await _api.StartAsync(workflowId));
        await _api.WaitTerminalAsync(await _api.StartAsync(workflowId));

        Assert.Equal(2, recorder.Sum("agentorleans.executions.started", workflowId));
        Assert.Equal(2, recorder.Sum("agentorleans.executions.completed", workflowId));
        Assert.Equal(0, recorder.Sum("agentorleans.executions.failed", workflowId));
    }

    /// <summary>
    /// Scrapes <c>/metrics</c> until <paramref name="missing"/> finds nothing missing or the deadline
    /// passes, and returns what was still missing. The exporter caches a scrape briefly and observable
    /// instruments show on the next one, so scrapes are spaced by a timer tick.
    /// </summary>
    private async Task<List<string>> MissingFromScrapesAsync(Func<string[], List<string>> missing)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var left = missing((await _api.Http.GetStringAsync("/metrics")).Split('\n'));
        try
        {
            while (left.Count > 0 && await ticks.WaitForNextTickAsync(timeout.Token))
            {
                left = missing((await _api.Http.GetStringAsync("/metrics")).Split('\n'));
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // Deadline passed: the caller reports what is still missing.
        }

        return left;
    }

    private static bool Matches(string line, (string Name, string[] Labels) instrument) =>
        line.Split('{', ' ')[0] == instrument.Name && instrument.Labels.All(label => line.Contains(label, StringComparison.Ordinal));
}
