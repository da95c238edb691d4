using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Executions;

[Collection(ClusterCollection.Name)]
public sealed class CancellationTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task CancellingARunningExecutionStopsTheStep()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["busy"] = Node("test.block"), ["after"] = Node("test.count") });
        var execution = await _workflows.StartAsync(workflowId);
        var id = execution.GetPrimaryKeyString();
        await SignalAsync(TestSteps.StartedSignal(id, "busy"), "the step to start");

        var cancel = await execution.CancelAsync("user asked");

        Assert.True(cancel.Accepted);
        await SignalAsync(TestSteps.CancellationSignal(id, "busy"), "the step's token to be cancelled");
        var done = await TerminalAsync(execution);
        Assert.Equal(ExecutionStatus.Cancelled, done.Status);
        var last = (await EventsAsync(execution))[^1];
        Assert.Equal(EventTypes.ExecutionCancelled, last.Type);
        var data = JsonNode.Parse(last.DataJson!)!;
        Assert.Equal("user asked", data["reason"]!.GetValue<string>());
        Assert.Equal(["busy"], data["stoppedNodes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(data["abandoned"]!.GetValue<bool>());
        Assert.Equal(0, TestSteps.RunCountFor(id, "after"));
    }

    [Fact]
    public async Task CancellingDuringARetryBackoffStopsThePendingRetry()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["flaky"] = Node("test.flaky", new JsonObject { ["failures"] = 5 }, retry: new JsonObject { ["maxAttempts"] = 5, ["initialDelay"] = "1h" }),
        });
        var execution = await _workflows.StartAsync(workflowId);
        await EventAsync(execution, EventTypes.NodeRetrying);

        await execution.CancelAsync(null);
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Cancelled, done.Status);
        Assert.Equal(1, TestSteps.RunCountFor(execution.GetPrimaryKeyString(), "flaky"));
    }

    [Fact]
    public async Task CancellingDuringADelayEndsItAtOnce()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["nap"] = Node("delay", new JsonObject { ["duration"] = "1h" }),
            ["after"] = Node("test.count"),
        });
        var execution = await _workflows.StartAsync(workflowId);
        await EventAsync(execution, EventTypes.NodeStarted, "nap");

        await execution.CancelAsync("no more waiting");
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Cancelled, done.Status);
        Assert.Equal(0, TestSteps.RunCountFor(execution.GetPrimaryKeyString(), "after"));
    }

    [Fact]
    public async Task AStepThatIgnoresCancellationIsAbandonedAfterTheGracePeriod()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["stubborn"] = Node("test.stubborn") });
        var execution = await _workflows.StartAsync(workflowId);
        await SignalAsync(TestSteps.StartedSignal(execution.GetPrimaryKeyString(), "stubborn"), "the step to start");

        await execution.CancelAsync(null);
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Cancelled, done.Status);
        var data = JsonNode.Parse((await EventsAsync(execution))[^1].DataJson!)!;
        Assert.True(data["abandoned"]!.GetValue<bool>());
        Assert.Equal(["stubborn"], data["stoppedNodes"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task CancellingIsIdempotentAndAFinishedExecutionIsNotChanged()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["busy"] = Node("test.block") });
        var execution = await _workflows.StartAsync(workflowId);

        var first = await execution.CancelAsync("once");
        var second = await execution.CancelAsync("twice");
        var done = await TerminalAsync(execution);
        var afterwards = await execution.CancelAsync("too late");
        var events = await EventsAsync(execution);

        Assert.True(first.Accepted);
        // The second request either joins the pending cancellation or finds it done; neither adds anything.
        Assert.True(second.Accepted || second.Status == ExecutionStatus.Cancelled, second.Message);
        Assert.False(afterwards.Accepted);
        Assert.Contains("already ended cancelled", afterwards.Message, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Cancelled, done.Status);
        Assert.Single(events, e => e.Type == EventTypes.ExecutionCancelled);
        Assert.Equal("once", JsonNode.Parse(events[^1].DataJson!)!["reason"]!.GetValue<string>());
        Assert.Equal(events.Count, (await EventsAsync(execution)).Count);
    }

    [Fact]
    public async Task CancellingAnUnknownExecutionSaysSo()
    {
        var result = await fixture.Grains.GetGrain<IExecutionGrain>(NewId("ex")).CancelAsync(null);

        Assert.False(result.Exists);
        Assert.False(result.Accepted);
    }
}
