using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;
using static AgentOrleans.Tests.Executions.SignalTests;

namespace AgentOrleans.Tests.Executions;

/// <summary>
/// Executions that wait, are paused or sleep leave memory (after the test cluster's ParkAfter of 2 s) and
/// come back for a signal, a resume or their own timer.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ParkingTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    /// <summary>The execution left memory while still <paramref name="status"/> (read back from storage afterwards), not because it ended.</summary>
    private async Task LeftMemoryAsync(IExecutionGrain execution, ExecutionStatus status)
    {
        Assert.True(await _workflows.ActivationGoneAsync(execution), $"expected the {status} execution to leave memory within {Deadline}");
        var stored = await execution.GetAsync();
        Assert.True(stored?.Status == status, $"expected the execution to leave memory while {status}; it is {stored?.Status}");
    }

    [Fact]
    public async Task AWaitingExecutionLeavesMemoryAndASignalBringsItBack()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["ask"] = Wait("approval"), ["after"] = Node("test.count") });
        var execution = await _workflows.StartAsync(workflowId);
        await WaitingAsync(execution);

        await LeftMemoryAsync(execution, ExecutionStatus.Waiting);
        var result = await execution.SignalAsync(Signal("approval", new JsonObject { ["ok"] = true }));
        var done = await TerminalAsync(execution);

        Assert.Equal(SignalOutcome.Accepted, result.Outcome);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        AssertGapFree(await EventsAsync(execution));
    }

    [Fact]
    public async Task AWaitingExecutionLeavesMemoryAndItsTimeoutBringsItBack()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["ask"] = Wait("approval", timeout: "6s", onTimeoutOutput: "nobody answered") });
        var execution = await _workflows.StartAsync(workflowId);
        await WaitingAsync(execution);

        await LeftMemoryAsync(execution, ExecutionStatus.Waiting);
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal("nobody answered", JsonNode.Parse(done.ResultJson!)!["ask"]!.GetValue<string>());
    }

    [Fact]
    public async Task ALongDelaySleepsOutOfMemoryAndWakesByItself()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["nap"] = Node("delay", new JsonObject { ["duration"] = "3s" }), ["after"] = Node("test.count") });
        var execution = await _workflows.StartAsync(workflowId);

        await LeftMemoryAsync(execution, ExecutionStatus.Running);
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(1, TestSteps.RunCountFor(execution.GetPrimaryKeyString(), "after"));
        AssertGapFree(await EventsAsync(execution));
    }

    [Fact]
    public async Task APausedExecutionLeavesMemoryAndAResumeBringsItBack()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["ask"] = Wait("go"), ["after"] = Node("test.count") });
        var execution = await _workflows.StartAsync(workflowId);
        await WaitingAsync(execution);
        await execution.PauseAsync();
        await execution.SignalAsync(Signal("go", null));
        await Polling.UntilAsync(execution.GetAsync, s => s?.Status == ExecutionStatus.Paused, Deadline, TimeSpan.FromMilliseconds(20));

        await LeftMemoryAsync(execution, ExecutionStatus.Paused);
        var resumed = await execution.ResumeAsync();
        var done = await TerminalAsync(execution);

        Assert.True(resumed.Changed, resumed.Message);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
    }
}
