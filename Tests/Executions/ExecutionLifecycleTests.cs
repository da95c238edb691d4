using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Executions;

[Collection(ClusterCollection.Name)]
public sealed class ExecutionLifecycleTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task AThreeNodeWorkflowSucceedsWithEveryEventInOrder()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["a"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["greeting"] = "hello ${{ input.name }}" } }),
            ["b"] = Node("test.count"),
            ["c"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["length"] = "${{ state.greeting.length }}" } }),
        });

        var execution = await _workflows.StartAsync(workflowId, new JsonObject { ["name"] = "ada" });
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var result = JsonNode.Parse(done.ResultJson!)!;
        Assert.Equal("hello ada", result["greeting"]!.GetValue<string>());
        Assert.Equal(9, result["length"]!.GetValue<int>());
        Assert.NotNull(result["b"]!["ran"]);
        var events = await EventsAsync(execution);
        AssertGapFree(events);
        Assert.Equal(
            ["execution.queued", "execution.started", "node.started", "node.completed", "node.started", "node.completed", "node.started", "node.completed", "execution.completed"],
            events.Select(e => e.Type));
        Assert.Equal(["a", "a", "b", "b", "c", "c"], events.Where(e => e.NodeId is not null).Select(e => e.NodeId));
    }

    [Fact]
    public async Task AFinishedExecutionRunsNoMoreStepsAndHasOneTerminalEvent()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["only"] = Node("test.count") });
        var execution = await _workflows.StartAsync(workflowId);

        await TerminalAsync(execution);
        var events = await EventsAsync(execution);
        await execution.GetAsync();

        Assert.Equal(1, TestSteps.RunCountFor(execution.GetPrimaryKeyString(), "only"));
        Assert.Single(events, e => e.IsTerminal);
        Assert.Equal(events.Count, (await EventsAsync(execution)).Count);
    }

    [Fact]
    public async Task AFinishedExecutionLeavesMemoryAndAReadBringsItBackOnlyForAWhile()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["only"] = Node("test.count") });
        var execution = await _workflows.StartAsync(workflowId);

        // Nothing calls the execution until its activation is gone: any call, even a status read, activates it
        // again (from storage). So the run's end is seen from outside the grain: its step ran, then its activation left.
        Assert.True(
            await _workflows.ActivationGoneAsync(execution, () => TestSteps.RunCountFor(execution.GetPrimaryKeyString(), "only") == 1),
            $"expected the execution's activation to be gone within {Deadline} of its step running");

        // A read answers from storage, and the activation it brought back leaves after FinishedKeepAlive (300 ms here).
        var done = await execution.GetAsync();
        Assert.Equal(ExecutionStatus.Succeeded, done!.Status);
        Assert.NotNull(done.CompletedAt);
        var events = await EventsAsync(execution);
        AssertGapFree(events);
        Assert.Equal(["execution.queued", "execution.started", "node.started", "node.completed", "execution.completed"], events.Select(e => e.Type));
        Assert.True(await _workflows.ActivationGoneAsync(execution, () => true), $"expected the activation a read brought back to leave within {Deadline}");
        Assert.Equal(1, TestSteps.RunCountFor(execution.GetPrimaryKeyString(), "only"));
    }

    [Fact]
    public async Task ConditionalEdgesPickTheFirstMatchingBranch()
    {
        var workflowId = await _workflows.PublishAsync(
            new JsonObject
            {
                ["decide"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["big"] = "${{ input.n > 10 }}" } }),
                ["large"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["branch"] = "large" } }),
                ["small"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["branch"] = "small" } }),
            },
            new JsonArray(
                new JsonObject { ["from"] = "decide", ["to"] = "large", ["when"] = "state.big" },
                new JsonObject { ["from"] = "decide", ["to"] = "small" }));

        var large = await TerminalAsync(await _workflows.StartAsync(workflowId, new JsonObject { ["n"] = 50 }));
        var small = await TerminalAsync(await _workflows.StartAsync(workflowId, new JsonObject { ["n"] = 5 }));

        Assert.Equal("large", JsonNode.Parse(large.ResultJson!)!["branch"]!.GetValue<string>());
        Assert.Equal("small", JsonNode.Parse(small.ResultJson!)!["branch"]!.GetValue<string>());
    }

    [Fact]
    public async Task ALoopRunsUntilItsConditionAndIsBoundedByMaxVisits()
    {
        var tick = Node("transform", new JsonObject { ["set"] = new JsonObject { ["n"] = "${{ state.n - 1 }}" } });
        tick["maxVisits"] = 5;
        var nodes = new JsonObject
        {
            ["init"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["n"] = "${{ input.from }}" } }),
            ["tick"] = tick,
        };
        var edges = new JsonArray(
            new JsonObject { ["from"] = "init", ["to"] = "tick" },
            new JsonObject { ["from"] = "tick", ["to"] = "tick", ["when"] = "state.n > 0" });
        var workflowId = await _workflows.PublishAsync(nodes, edges);

        var within = await TerminalAsync(await _workflows.StartAsync(workflowId, new JsonObject { ["from"] = 3 }));
        var beyond = await TerminalAsync(await _workflows.StartAsync(workflowId, new JsonObject { ["from"] = 9 }));

        Assert.Equal(ExecutionStatus.Succeeded, within.Status);
        Assert.Equal(0, JsonNode.Parse(within.ResultJson!)!["n"]!.GetValue<int>());
        Assert.Equal(ExecutionStatus.Failed, beyond.Status);
        Assert.Equal("IterationLimitExceeded", beyond.Error!.Type);
    }

    [Fact]
    public async Task StatusEventsAndCancelAnswerQuicklyWhileAStepRuns()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["busy"] = Node("test.block") });
        var execution = await _workflows.StartAsync(workflowId);
        var id = execution.GetPrimaryKeyString();
        await SignalAsync(TestSteps.StartedSignal(id, "busy"), "the step to start");

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            var snapshot = await execution.GetAsync();
            Assert.Equal(ExecutionStatus.Running, snapshot!.Status);
            Assert.Equal("busy", snapshot.CurrentNodeId);
            await execution.GetEventsAsync(0, 100);
        }

        // Generous: what matters is that calls are not queued behind the step, which never ends by itself.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"40 calls took {watch.Elapsed}");
        await execution.CancelAsync("test over");
        Assert.Equal(ExecutionStatus.Cancelled, (await TerminalAsync(execution)).Status);
    }

    [Fact]
    public async Task StartingTwiceWithTheSameRequestIsIdempotentAndADifferentRequestConflicts()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var id = NewId("ex");
        var execution = fixture.Grains.GetGrain<IExecutionGrain>(id);
        var command = new StartExecution(workflowId, null, """{"x": 1}""");

        var first = await execution.StartAsync(command);
        var again = await execution.StartAsync(command with { InputJson = """{ "x" : 1 }""" });
        var other = await execution.StartAsync(command with { InputJson = """{"x": 2}""" });

        Assert.Equal(StartOutcome.Started, first.Outcome);
        Assert.Equal(StartOutcome.AlreadyStarted, again.Outcome);
        Assert.Equal(StartOutcome.Conflict, other.Outcome);
        await TerminalAsync(execution);
        Assert.Equal(1, TestSteps.RunCountFor(id, "a"));
    }

    [Fact]
    public async Task AnUnknownWorkflowIsRefused()
    {
        var execution = fixture.Grains.GetGrain<IExecutionGrain>(NewId("ex"));

        var started = await execution.StartAsync(new StartExecution(NewId("missing"), null, null));

        Assert.Equal(StartOutcome.WorkflowNotFound, started.Outcome);
        Assert.Null(await execution.GetAsync());
    }

    [Fact]
    public async Task InputThatBreaksTheInputSchemaIsRefusedWithPointers()
    {
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["count"] = new JsonObject { ["type"] = "integer" } },
            ["required"] = new JsonArray("count"),
        };
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Node("test.count") }, input: schema);
        var execution = fixture.Grains.GetGrain<IExecutionGrain>(NewId("ex"));

        var missing = await execution.StartAsync(new StartExecution(workflowId, null, "{}"));
        var wrongType = await execution.StartAsync(new StartExecution(workflowId, null, """{"count": "three"}"""));
        var notJson = await execution.StartAsync(new StartExecution(workflowId, null, "{nope"));

        Assert.Equal(StartOutcome.InvalidInput, missing.Outcome);
        Assert.Contains(missing.Problems, p => p.Message.Contains("count", StringComparison.Ordinal));
        Assert.Equal(StartOutcome.InvalidInput, wrongType.Outcome);
        Assert.Contains(wrongType.Problems, p => p.Pointer == "/count");
        Assert.Equal(StartOutcome.InvalidInput, notJson.Outcome);
        Assert.Null(await execution.GetAsync());
    }

    [Fact]
    public async Task AnExecutionIsPinnedToTheVersionItStartedOn()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["wait"] = Node("test.block", new JsonObject { ["ms"] = 300 }),
            ["mark"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["version"] = 1 } }),
        });
        var execution = await _workflows.StartAsync(workflowId);
        var republished = await fixture.Grains.GetGrain<AgentOrleans.Grains.Workflows.IWorkflowDefinitionGrain>(workflowId).PublishAsync(
            new JsonObject
            {
                ["id"] = workflowId,
                ["start"] = "mark",
                ["nodes"] = new JsonObject { ["mark"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["version"] = 2 } }) },
            }.ToJsonString());

        var done = await TerminalAsync(execution);

        Assert.Equal(2, republished.Version);
        Assert.Equal(1, done.Version);
        Assert.Equal(1, JsonNode.Parse(done.ResultJson!)!["version"]!.GetValue<int>());
    }
}
