using System.Text.Json.Nodes;
using AgentOrleans.Grains.Telemetry;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Telemetry;

[Collection(ApiCollection.Name)]
public sealed class MetricsTests(ApiFactory factory)
{
    private static readonly string[] Instruments =
    [
        "agentorleans_executions_started",
        "agentorleans_executions_completed",
        "agentorleans_executions_failed",
        "agentorleans_executions_cancelled",
        "agentorleans_executions_running",
        "agentorleans_executions_queued",
        "agentorleans_node_duration",
        "agentorleans_node_retries",
        "agentorleans_events_delivery_lag",
        "agentorleans_compile_cache_hits",
        "agentorleans_compile_cache_misses",
    ];

    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task TheMetricsEndpointExposesEveryExecutionInstrumentAfterRuns()
    {
        var succeeds = await _api.PublishAsync(new JsonObject
        {
            ["flaky"] = Node("test.flaky", new JsonObject { ["failures"] = 1 }, retry: new JsonObject { ["maxAttempts"] = 2, ["initialDelay"] = "10ms" }),
        });
        var fails = await _api.PublishAsync(new JsonObject { ["broken"] = Node("test.flaky", new JsonObject { ["failures"] = 9 }) });
        var blocks = await _api.PublishAsync(new JsonObject { ["wait"] = Node("test.block") });
        var ok = await _api.StartAsync(succeeds);
        var failed = await _api.StartAsync(fails);
        var cancelled = await _api.StartAsync(blocks);
        await SignalAsync(TestSteps.StartedSignal(cancelled, "wait"), "the blocking step to start");
        await _api.Http.PostAsync($"/v1/executions/{cancelled}/cancel", null);
        await ApiClient.ReadEventsAsync(await _api.OpenEventStreamAsync(ok));
        await _api.WaitTerminalAsync(failed);
        await _api.WaitTerminalAsync(cancelled);

        var until = DateTime.UtcNow + Deadline;
        List<string> missing = [.. Instruments];
        while (missing.Count > 0 && DateTime.UtcNow < until)
        {
            var text = await _api.Http.GetStringAsync("/metrics");
            var series = text.Split('\n').Where(l => !l.StartsWith('#')).ToList();
            missing = Instruments.Where(name => !series.Any(l => l.StartsWith(name, StringComparison.Ordinal))).ToList();
        }

        Assert.True(missing.Count == 0, $"expected every instrument on /metrics; missing {string.Join(", ", missing)}");
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
}
