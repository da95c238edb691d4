using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.StartupTasks;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.StartupTasks;

/// <summary>The startup task grain on the test cluster: once per run key however many ask at once, again for a new one.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StartupTaskGrainTests(ClusterFixture fixture)
{
    private readonly Runs _runs = new(fixture.Grains);

    private IStartupTaskGrain TaskGrain(string name) => fixture.Grains.GetGrain<IStartupTaskGrain>(name);

    private Task<string> PublishCountingAsync() =>
        _runs.PublishAsync(new JsonObject { ["work"] = new JsonObject { ["type"] = "test.count" } });

    private async Task<StartupTaskView> FinishedAsync(string name, StartupTaskSpec spec)
    {
        var view = await Polling.UntilAsync(() => TaskGrain(name).RunAsync(spec), v => v.IsFinished, Deadline, TimeSpan.FromMilliseconds(50));
        Assert.True(view.IsFinished, $"expected task {name} to finish within {Deadline}; last seen {view.Status}: {view.Message}");
        return view;
    }

    [Fact]
    public async Task ManySilosAskingAtOnceRunTheTaskOnce()
    {
        var workflowId = await PublishCountingAsync();
        var name = NewId("task");
        var spec = new StartupTaskSpec(workflowId, null, null, "v1");

        var views = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => TaskGrain(name).RunAsync(spec)));
        var finished = await FinishedAsync(name, spec);

        var executionId = StartupTaskIds.Execution(name, "v1");
        Assert.All(views, v => Assert.Equal(executionId, v.ExecutionId));
        Assert.Equal((StartupTaskStatus.Succeeded, ExecutionStatus.Succeeded), (finished.Status, finished.ExecutionStatus));
        Assert.Equal(1, TestSteps.RunCountFor(executionId, "work"));
        Assert.Single(await EventsAsync(fixture.Grains.GetGrain<IExecutionGrain>(executionId)), e => e.Type == EventTypes.ExecutionStarted);
    }

    [Fact]
    public async Task ANewRunKeyRunsItAgainAndGoingBackToAnOldOneDoesNot()
    {
        var workflowId = await PublishCountingAsync();
        var name = NewId("task");
        await FinishedAsync(name, new StartupTaskSpec(workflowId, null, null, "v1"));
        await FinishedAsync(name, new StartupTaskSpec(workflowId, null, null, "v1"));

        var second = await FinishedAsync(name, new StartupTaskSpec(workflowId, null, null, "v2"));
        var back = await FinishedAsync(name, new StartupTaskSpec(workflowId, null, null, "v1"));

        Assert.Equal((StartupTaskStatus.Succeeded, "v2", StartupTaskIds.Execution(name, "v2")), (second.Status, second.RunKey, second.ExecutionId));
        Assert.Equal(1, TestSteps.RunCountFor(StartupTaskIds.Execution(name, "v1"), "work"));
        Assert.Equal(1, TestSteps.RunCountFor(StartupTaskIds.Execution(name, "v2"), "work"));
        // The execution of v1 exists: starting it again is the idempotent start of the same run, which already succeeded.
        Assert.Equal((StartupTaskStatus.Succeeded, StartupTaskIds.Execution(name, "v1")), (back.Status, back.ExecutionId));
    }

    [Fact]
    public async Task ATaskWhoseWorkflowIsNotPublishedYetWaitsAndRunsOnceItIs()
    {
        var name = NewId("task");
        var workflowId = NewId("wf");
        var spec = new StartupTaskSpec(workflowId, null, null, "v1");

        var waiting = await TaskGrain(name).RunAsync(spec);
        var definition = new JsonObject
        {
            ["id"] = workflowId,
            ["start"] = "work",
            ["nodes"] = new JsonObject { ["work"] = new JsonObject { ["type"] = "test.count" } },
            ["edges"] = new JsonArray(),
        };
        Assert.True((await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(workflowId).PublishAsync(definition.ToJsonString())).IsValid);
        var finished = await FinishedAsync(name, spec);

        Assert.Equal((StartupTaskStatus.Pending, null, $"no workflow '{workflowId}' is published yet"), (waiting.Status, waiting.ExecutionId, waiting.Message));
        Assert.Equal(StartupTaskStatus.Succeeded, finished.Status);
    }

    [Fact]
    public async Task AFailingTaskRetriesPerTheWorkflowsPolicyThenFailsWithItsErrorAndIsNotRunAgain()
    {
        var workflowId = await _runs.PublishAsync(new JsonObject
        {
            ["load"] = new JsonObject
            {
                ["type"] = "test.flaky",
                ["with"] = new JsonObject { ["failures"] = 10, ["error"] = "SeedFailed" },
                ["retry"] = new JsonObject { ["maxAttempts"] = 3, ["initialDelay"] = "10ms", ["backoff"] = 1.0 },
            },
        });
        var name = NewId("task");
        var spec = new StartupTaskSpec(workflowId, null, null, "v1");

        var failed = await FinishedAsync(name, spec);
        var again = await TaskGrain(name).RunAsync(spec);

        var executionId = StartupTaskIds.Execution(name, "v1");
        var events = await EventsAsync(fixture.Grains.GetGrain<IExecutionGrain>(executionId));
        Assert.Equal((StartupTaskStatus.Failed, ExecutionStatus.Failed), (failed.Status, failed.ExecutionStatus));
        Assert.Equal("failed at node load, attempt 3: SeedFailed: attempt 3 fails on purpose", failed.Message);
        Assert.Equal(2, events.Count(e => e.Type == EventTypes.NodeRetrying));
        Assert.Equal((StartupTaskStatus.Failed, executionId), (again.Status, again.ExecutionId));
        Assert.Equal(3, TestSteps.RunCountFor(executionId, "load"));
    }

    [Fact]
    public async Task AnInvalidInputFailsTheTaskWithoutAnExecutionAndAFixedInputRunsIt()
    {
        var workflowId = await _runs.PublishAsync(
            new JsonObject { ["work"] = new JsonObject { ["type"] = "test.count" } },
            input: new JsonObject { ["type"] = "object", ["required"] = new JsonArray("rows"), ["properties"] = new JsonObject { ["rows"] = new JsonObject { ["type"] = "number" } } });
        var name = NewId("task");

        var refused = await TaskGrain(name).RunAsync(new StartupTaskSpec(workflowId, null, """{"rows": "ten"}""", "v1"));
        var fixedRun = await FinishedAsync(name, new StartupTaskSpec(workflowId, null, """{"rows": 10}""", "v1"));

        Assert.Equal((StartupTaskStatus.Failed, null), (refused.Status, refused.ExecutionId));
        Assert.StartsWith("its input was refused: /input/rows", refused.Message, StringComparison.Ordinal);
        Assert.Equal((StartupTaskStatus.Succeeded, StartupTaskIds.Execution(name, "v1")), (fixedRun.Status, fixedRun.ExecutionId));
    }

    [Fact]
    public async Task ATaskNeverRunIsUnknownToItsGrain()
    {
        Assert.Null(await TaskGrain(NewId("task")).GetAsync());
    }
}
