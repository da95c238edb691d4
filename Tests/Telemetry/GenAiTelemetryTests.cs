using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Telemetry;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Telemetry;

/// <summary>Each model call's span and metrics, as the OpenTelemetry GenAI conventions name them, seen by in-process listeners.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GenAiTelemetryTests(ClusterFixture fixture) : IDisposable
{
    private readonly Runs _workflows = new(fixture.Grains);
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly ActivityListener _activities = new()
    {
        ShouldListenTo = s => s.Name == GenAiTelemetry.SourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    private readonly MeterListener _meters = new();

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task AModelCallHasAGenAiSpanWithItsModelUsageWorkflowAndNodeAndBothGenAiMetrics()
    {
        Listen();
        // The model name is this test's own, so measurements of other tests' calls are told apart.
        var model = NewId("telemetry");
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["ask"] = Node("llm", new JsonObject { ["prompt"] = "one two three", ["model"] = model }),
        });

        var done = await TerminalAsync(await _workflows.StartAsync(workflowId));

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var span = await Polling.UntilAsync(
            () => Task.FromResult(_spans.FirstOrDefault(s => (s.GetTagItem("gen_ai.request.model") as string) == model)),
            s => s is not null,
            Deadline,
            TimeSpan.FromMilliseconds(20));
        Assert.True(span is not null, $"expected a span of source {GenAiTelemetry.SourceName} for model {model}; saw {string.Join(", ", _spans.Select(s => s.DisplayName))}");
        Assert.Equal($"chat {model}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(workflowId, span.GetTagItem(GenAiTelemetry.WorkflowTag));
        Assert.Equal("ask", span.GetTagItem(GenAiTelemetry.NodeTag));
        Assert.Equal(done.Id, span.GetTagItem(GenAiTelemetry.ExecutionTag));
        var usage = LlmOutput(done)["usage"]!;
        Assert.Equal(usage["promptTokens"]!.GetValue<int>(), Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(usage["completionTokens"]!.GetValue<int>(), Convert.ToInt32(span.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));

        var ours = _measurements.Where(m => (m.Tags.GetValueOrDefault("gen_ai.request.model") as string) == model).ToList();
        Assert.Contains(ours, m => m.Instrument == "gen_ai.client.operation.duration" && m.Value > 0);
        Assert.Contains(ours, m => m.Instrument == "gen_ai.client.token.usage" && Equals(m.Tags.GetValueOrDefault("gen_ai.token.type"), "input") && m.Value == usage["promptTokens"]!.GetValue<int>());
        Assert.Contains(ours, m => m.Instrument == "gen_ai.client.token.usage" && Equals(m.Tags.GetValueOrDefault("gen_ai.token.type"), "output") && m.Value == usage["completionTokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task AFailedModelCallMarksItsSpanAsAnError()
    {
        Listen();
        var model = "sim-429";
        var marker = NewId("m");
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["ask"] = Node("llm", new JsonObject { ["prompt"] = $"hello {marker}", ["model"] = model }),
        });

        var done = await TerminalAsync(await _workflows.StartAsync(workflowId));

        Assert.Equal("ProviderRateLimited", done.Error?.Type);
        var span = await Polling.UntilAsync(
            () => Task.FromResult(_spans.FirstOrDefault(s => (s.GetTagItem(GenAiTelemetry.WorkflowTag) as string) == workflowId)),
            s => s is not null,
            Deadline,
            TimeSpan.FromMilliseconds(20));
        Assert.True(span is not null, $"expected a span for workflow {workflowId}");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.NotNull(span.GetTagItem("error.type"));
    }

    private void Listen()
    {
        _activities.ActivityStopped = _spans.Enqueue;
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GenAiTelemetry.SourceName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meters.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, value, copy));
    }

    private static JsonNode LlmOutput(ExecutionSnapshot done) => JsonNode.Parse(done.ResultJson!)!["ask"]!;
}
