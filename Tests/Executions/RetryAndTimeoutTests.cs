using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Executions;

[Collection(ClusterCollection.Name)]
public sealed class RetryAndTimeoutTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task AFailingStepIsRetriedWithBackoffThenSucceeds()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["flaky"] = Node("test.flaky", new JsonObject { ["failures"] = 2 }, retry: new JsonObject { ["maxAttempts"] = 3, ["initialDelay"] = "20ms", ["backoff"] = 2.0, ["jitter"] = 0 }),
        });
        var execution = await _workflows.StartAsync(workflowId);

        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(3, JsonNode.Parse(done.ResultJson!)!["flaky"]!["attempt"]!.GetValue<int>());
        var retrying = (await EventsAsync(execution)).Where(e => e.Type == EventTypes.NodeRetrying).ToList();
        Assert.Equal([1, 2], retrying.Select(e => e.Attempt!.Value));
        Assert.Equal([20L, 40L], retrying.Select(e => JsonNode.Parse(e.DataJson!)!["delayMs"]!.GetValue<long>()));
        Assert.Equal(2, JsonNode.Parse(retrying[0].DataJson!)!["nextAttempt"]!.GetValue<int>());
        var id = execution.GetPrimaryKeyString();
        Assert.Equal(1, TestSteps.RunCount($"{id}:flaky:1"));
        Assert.Equal(1, TestSteps.RunCount($"{id}:flaky:3"));
    }

    [Fact]
    public async Task ANonRetryableErrorFailsAtOnce()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["flaky"] = Node(
                "test.flaky",
                new JsonObject { ["failures"] = 5, ["error"] = "BadRequest" },
                retry: new JsonObject { ["maxAttempts"] = 5, ["initialDelay"] = "10ms", ["nonRetryable"] = new JsonArray("BadRequest") }),
        });
        var execution = await _workflows.StartAsync(workflowId);

        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal(new ExecutionError("BadRequest", "attempt 1 fails on purpose", "flaky", 1), done.Error);
        var events = await EventsAsync(execution);
        Assert.DoesNotContain(events, e => e.Type == EventTypes.NodeRetrying);
        Assert.Equal([EventTypes.NodeFailed, EventTypes.ExecutionFailed], events.TakeLast(2).Select(e => e.Type));
    }

    [Fact]
    public async Task RetriesStopAfterMaxAttempts()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["flaky"] = Node("test.flaky", new JsonObject { ["failures"] = 9 }, retry: new JsonObject { ["maxAttempts"] = 2, ["initialDelay"] = "10ms" }),
        });
        var execution = await _workflows.StartAsync(workflowId);

        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal(2, done.Error!.Attempt);
        Assert.Equal(2, TestSteps.RunCountFor(execution.GetPrimaryKeyString(), "flaky"));
    }

    [Fact]
    public async Task ANodeTimeoutCancelsTheStepAndCountsAsAFailure()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["slow"] = Node("test.block", timeout: "200ms") });
        var execution = await _workflows.StartAsync(workflowId);

        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal("StepTimeout", done.Error!.Type);
        await SignalAsync(TestSteps.CancellationSignal(execution.GetPrimaryKeyString(), "slow"), "the timed-out step's token to be cancelled");
    }

    [Fact]
    public async Task ATimedOutStepIsRetriedLikeAnyFailure()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["slow"] = Node("test.block", timeout: "100ms", retry: new JsonObject { ["maxAttempts"] = 2, ["initialDelay"] = "10ms" }),
        });
        var execution = await _workflows.StartAsync(workflowId);

        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal(2, done.Error!.Attempt);
        Assert.Contains(await EventsAsync(execution), e => e.Type == EventTypes.NodeRetrying && e.DataJson!.Contains("StepTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStepThatIgnoresItsTimeoutIsAbandoned()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["stubborn"] = Node("test.stubborn", timeout: "100ms") });
        var execution = await _workflows.StartAsync(workflowId);

        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal("StepTimeout", done.Error!.Type);
        Assert.Contains("abandoned", done.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOverallDeadlineEndsTheExecutionAsTimedOut()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["busy"] = Node("test.block") }, timeout: "300ms");
        var execution = await _workflows.StartAsync(workflowId);

        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.TimedOut, done.Status);
        Assert.Equal("ExecutionTimedOut", done.Error!.Type);
        var last = (await EventsAsync(execution))[^1];
        Assert.Equal(EventTypes.ExecutionTimedOut, last.Type);
        Assert.Equal(["busy"], JsonNode.Parse(last.DataJson!)!["stoppedNodes"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task AnExpressionThatFailsAtRunTimeFailsTheNodeWithoutRetry()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["bad"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["x"] = "${{ input.missing.deeper }}" } }, retry: new JsonObject { ["maxAttempts"] = 3 }),
        });

        var done = await TerminalAsync(await _workflows.StartAsync(workflowId, new JsonObject()));

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal("ExpressionError", done.Error!.Type);
        Assert.Equal(1, done.Error.Attempt);
    }
}
