using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Rerun;

/// <summary>Re-runs on a cluster: the nodes before the re-run's node do not run again, and the original stays as it was.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RerunTests(ClusterFixture fixture)
{
    private static readonly string[] CountedNodes = ["a", "b", "flaky", "last"];

    private readonly Runs _workflows = new(fixture.Grains);

    // 'count' adds to state.total (a patch); 'flaky' fails as often as the input says.
    private Task<string> PublishAsync() => _workflows.PublishAsync(new JsonObject
    {
        ["a"] = Node("test.count"),
        ["sum"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["total"] = "${{ (state.total ?? 0) + 1 }}" } }),
        ["b"] = Node("test.count"),
        ["flaky"] = Node("test.flaky", new JsonObject { ["failures"] = "${{ input.failures }}" }),
        ["last"] = Node("test.count"),
    });

    private async Task<(IExecutionGrain Original, string Id)> FailedAsync(string workflowId)
    {
        var original = await _workflows.StartAsync(workflowId, new JsonObject { ["failures"] = 1 });
        Assert.Equal(ExecutionStatus.Failed, (await TerminalAsync(original)).Status);
        return (original, original.GetPrimaryKeyString());
    }

    private async Task<(IExecutionGrain Rerun, string Id, RerunPlan Plan)> RerunAsync(string originalId, string? fromNode, JsonNode? input)
    {
        var rerunId = NewId("rerun");
        var (plan, started) = await Reruns.StartAsync(fixture.Grains, originalId, rerunId, fromNode, input?.ToJsonString(), by: null);
        Assert.Equal(StartOutcome.Started, started?.Outcome);
        return (fixture.Grains.GetGrain<IExecutionGrain>(rerunId), rerunId, plan);
    }

    [Fact]
    public async Task FromTheFailedNodeTheEarlierNodesDoNotRunAgainAndTheirOutputsAreReused()
    {
        var (original, originalId) = await FailedAsync(await PublishAsync());
        var before = await original.GetAsync();
        var originalEvents = await EventsAsync(original);

        var (rerun, rerunId, plan) = await RerunAsync(originalId, fromNode: null, new JsonObject { ["failures"] = 0 });
        var done = await TerminalAsync(rerun);

        Assert.Equal("flaky", plan.Start!.Rerun!.FromNodeId);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal((originalId, "flaky"), (done.RerunOf, done.RerunFrom));
        Assert.Equal([0, 0, 1, 1], CountedNodes.Select(n => TestSteps.RunCountFor(rerunId, n)));
        var result = JsonNode.Parse(done.ResultJson!)!;
        Assert.Equal($"{originalId}:a:1", result["a"]!["ran"]!.GetValue<string>());
        Assert.Equal($"{originalId}:b:1", result["b"]!["ran"]!.GetValue<string>());
        Assert.Equal(1, result["total"]!.GetValue<int>());
        Assert.Equal($"{rerunId}:last:1", result["last"]!["ran"]!.GetValue<string>());
        var events = await EventsAsync(rerun);
        AssertGapFree(events);
        Assert.Equal(EventTypes.ExecutionQueued, events[0].Type);
        var queued = JsonNode.Parse(events[0].DataJson!)!;
        Assert.Equal((originalId, "flaky"), (queued["rerunOf"]!.GetValue<string>(), queued["fromNode"]!.GetValue<string>()));
        Assert.Equal(["flaky", "last"], events.Where(e => e.Type == EventTypes.NodeStarted).Select(e => e.NodeId));

        // The original is as it was.
        var after = await original.GetAsync();
        Assert.Equal((before!.Status, before.LastSeq, before.ResultJson, before.RerunOf), (after!.Status, after.LastSeq, after.ResultJson, after.RerunOf));
        Assert.Equal(originalEvents, await EventsAsync(original));
        Assert.Equal(1, TestSteps.RunCountFor(originalId, "a"));
    }

    [Fact]
    public async Task FromANamedNodeThatNodeAndTheLaterOnesRunWithTheStateBeforeIt()
    {
        var (_, originalId) = await FailedAsync(await PublishAsync());

        var (rerun, rerunId, _) = await RerunAsync(originalId, "sum", new JsonObject { ["failures"] = 0 });
        var done = await TerminalAsync(rerun);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal([0, 1, 1, 1], CountedNodes.Select(n => TestSteps.RunCountFor(rerunId, n)));
        var result = JsonNode.Parse(done.ResultJson!)!;
        Assert.Equal(1, result["total"]!.GetValue<int>()); // the sum ran once more from the state before it, not on top of its own result
        Assert.Equal($"{originalId}:a:1", result["a"]!["ran"]!.GetValue<string>());
        Assert.Equal($"{rerunId}:b:1", result["b"]!["ran"]!.GetValue<string>());
        Assert.Equal("""{"failures":0}""", done.InputJson);
    }

    [Fact]
    public async Task AReRunOfAReRunReusesWhatTheFirstReRunReused()
    {
        var (_, originalId) = await FailedAsync(await PublishAsync());
        var (first, firstId, _) = await RerunAsync(originalId, null, null);
        Assert.Equal(ExecutionStatus.Failed, (await TerminalAsync(first)).Status); // the same input fails the same way

        var (second, secondId, plan) = await RerunAsync(firstId, null, new JsonObject { ["failures"] = 0 });
        var done = await TerminalAsync(second);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(["a", "sum", "b"], plan.Start!.Rerun!.Path.Select(s => s.NodeId));
        Assert.Equal($"{originalId}:a:1", JsonNode.Parse(done.ResultJson!)!["a"]!["ran"]!.GetValue<string>());
        Assert.Equal(0, TestSteps.RunCountFor(secondId, "a"));
    }

    [Fact]
    public async Task ARunningOriginalAnUnknownNodeANodeNeverReachedAndAnUnknownIdAreRefused()
    {
        var running = await _workflows.StartAsync(await _workflows.PublishAsync(new JsonObject { ["busy"] = Node("test.block") }));
        await SignalAsync(TestSteps.StartedSignal(running.GetPrimaryKeyString(), "busy"), "the step to start");
        var (_, failedId) = await FailedAsync(await PublishAsync());
        var failed = fixture.Grains.GetGrain<IExecutionGrain>(failedId);

        var whileRunning = await running.PlanRerunAsync(null, null);
        var unknownNode = await failed.PlanRerunAsync("nope", null);
        var notReached = await failed.PlanRerunAsync("last", null);
        var unknownId = await fixture.Grains.GetGrain<IExecutionGrain>(NewId("none")).PlanRerunAsync(null, null);
        await running.CancelAsync("done with the test");

        Assert.Equal(
            [RerunOutcome.NotEnded, RerunOutcome.UnknownNode, RerunOutcome.NotReached, RerunOutcome.NotFound],
            new[] { whileRunning, unknownNode, notReached, unknownId }.Select(p => p.Outcome));
        Assert.All(new[] { whileRunning, unknownNode, notReached, unknownId }, p => Assert.Null(p.Start));
    }
}
