using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Executions;

/// <summary>Pause at the next node boundary, resume, and cancel while paused.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PauseTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    private static Task<ExecutionSnapshot?> PausedAsync(IExecutionGrain execution) =>
        Polling.UntilAsync(execution.GetAsync, s => s?.Status == ExecutionStatus.Paused, Deadline, TimeSpan.FromMilliseconds(20));

    private async Task<(IExecutionGrain Execution, string Id)> StartTwoNodeRunAsync()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["first"] = Node("test.block", new JsonObject { ["ms"] = 300 }),
            ["second"] = Node("test.count"),
        });
        var execution = await _workflows.StartAsync(workflowId);
        var id = execution.GetPrimaryKeyString();
        await SignalAsync(TestSteps.StartedSignal(id, "first"), "the first node to start");
        return (execution, id);
    }

    [Fact]
    public async Task APauseLetsTheRunningNodeFinishAndStartsNothingNewUntilResumed()
    {
        var (execution, id) = await StartTwoNodeRunAsync();

        var pause = await execution.PauseAsync();
        var requested = await execution.GetAsync();
        var paused = await PausedAsync(execution);
        var ranWhilePaused = TestSteps.RunCountFor(id, "second");
        var resume = await execution.ResumeAsync();
        var done = await TerminalAsync(execution);

        Assert.True(pause.Changed, pause.Message);
        Assert.True(requested!.PauseRequested, "expected the pause to wait for the node boundary");
        Assert.True(paused?.Status == ExecutionStatus.Paused, $"expected the run to pause; saw {paused?.Status}");
        Assert.Null(paused!.CurrentNodeId);
        Assert.Equal(0, ranWhilePaused);
        Assert.True(resume.Changed, resume.Message);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(1, TestSteps.RunCountFor(id, "second"));
        var events = await EventsAsync(execution);
        AssertGapFree(events);
        var types = events.Select(e => e.Type).ToList();
        var pausedAt = types.IndexOf(EventTypes.ExecutionPaused);
        Assert.True(pausedAt > types.IndexOf(EventTypes.NodeCompleted), $"expected execution.paused after the first node completed; saw {string.Join(", ", types)}");
        Assert.Equal(EventTypes.ExecutionResumed, types[pausedAt + 1]);
        Assert.Equal("second", JsonNode.Parse(events[pausedAt].DataJson!)!["nextNode"]!.GetValue<string>());
    }

    [Fact]
    public async Task PauseAndResumeAreIdempotent()
    {
        var (execution, _) = await StartTwoNodeRunAsync();

        var first = await execution.PauseAsync();
        var second = await execution.PauseAsync();
        await PausedAsync(execution);
        var third = await execution.PauseAsync();
        var resumed = await execution.ResumeAsync();
        var again = await execution.ResumeAsync();
        await TerminalAsync(execution);

        Assert.Equal((true, false, false), (first.Changed, second.Changed, third.Changed));
        Assert.True(resumed.Changed, resumed.Message);
        Assert.False(again.Changed, again.Message);
        Assert.Single(await EventsAsync(execution), e => e.Type == EventTypes.ExecutionPaused);
    }

    [Fact]
    public async Task AResumeBeforeTheBoundaryWithdrawsThePause()
    {
        var (execution, _) = await StartTwoNodeRunAsync();

        await execution.PauseAsync();
        var withdrawn = await execution.ResumeAsync();
        var done = await TerminalAsync(execution);

        Assert.True(withdrawn.Changed, withdrawn.Message);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.DoesNotContain(await EventsAsync(execution), e => e.Type == EventTypes.ExecutionPaused);
    }

    [Fact]
    public async Task APausedRunCanBeCancelled()
    {
        var (execution, id) = await StartTwoNodeRunAsync();
        await execution.PauseAsync();
        await PausedAsync(execution);

        await execution.CancelAsync("no longer wanted");
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Cancelled, done.Status);
        Assert.Equal(0, TestSteps.RunCountFor(id, "second"));
    }

    [Fact]
    public async Task PausingOrResumingAFinishedRunChangesNothingAndSaysItsStatus()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["only"] = Node("test.count") });
        var execution = await _workflows.StartAsync(workflowId);
        await TerminalAsync(execution);

        var pause = await execution.PauseAsync();
        var resume = await execution.ResumeAsync();
        var unknown = await fixture.Grains.GetGrain<IExecutionGrain>(NewId("none")).PauseAsync();

        Assert.Equal((true, false, ExecutionStatus.Succeeded), (pause.Exists, pause.Changed, pause.Status));
        Assert.Equal((true, false, ExecutionStatus.Succeeded), (resume.Exists, resume.Changed, resume.Status));
        Assert.False(unknown.Exists);
    }
}
