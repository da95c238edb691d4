using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Telemetry;

[Collection(ClusterCollection.Name)]
public sealed class ResumedTraceTests(ClusterFixture fixture) : IDisposable
{
    private static readonly ActivitySource Client = new("AgentOrleans.Tests.Cluster");

    private readonly Runs _workflows = new(fixture.Grains);
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = s => s.Name.StartsWith("AgentOrleans", StringComparison.Ordinal) || s.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task AResumedRunKeepsTheTraceOfItsStartCall()
    {
        _listener.ActivityStopped = _stopped.Enqueue;
        ActivitySource.AddActivityListener(_listener);
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["long"] = Node("test.block") });

        ActivityTraceId traceId;
        IExecutionGrain grain;
        using (var root = Client.StartActivity("start"))
        {
            traceId = root!.TraceId;
            grain = await _workflows.StartAsync(workflowId);
        }

        var id = grain.GetPrimaryKeyString();
        await SignalAsync(TestSteps.StartedSignal(id, "long"), "the step to start");
        await grain.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await SignalAsync(TestSteps.CancellationSignal(id, "long"), "the deactivation to stop the step");
        TestSteps.Started.TryRemove($"{id}/long", out _);
        TestSteps.SawCancellation.TryRemove($"{id}/long", out _);
        await grain.WakeAsync();
        await SignalAsync(TestSteps.StartedSignal(id, "long"), "the step to run again after the resume");
        await grain.CancelAsync("test over");
        await TerminalAsync(grain);

        var spans = await Polling.UntilAsync(
            () => Task.FromResult(_stopped.Where(a => a.TraceId == traceId && a.Source.Name == "AgentOrleans").ToList()),
            seen => seen.Count(s => s.DisplayName == "node long") >= 2 && seen.Any(s => s.GetTagItem("agentorleans.resumed") is true),
            Deadline,
            TimeSpan.FromMilliseconds(20));

        Assert.True(spans.Count(s => s.DisplayName == "node long") >= 2, $"expected the node's span before and after the resume in trace {traceId}; saw {string.Join(", ", spans.Select(s => s.DisplayName))}");
        Assert.Contains(spans, s => s.DisplayName == $"execution {workflowId}" && s.GetTagItem("agentorleans.resumed") is true);
    }
}
