using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Executions;

/// <summary>
/// A parent execution whose activation leaves its silo (a rolling deploy, a grain moved) while a child runs:
/// the run goes on elsewhere, so the child must go on too.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HandOverTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task AParentThatLeavesItsActivationLeavesItsRunningChildRunning()
    {
        var child = await _workflows.PublishAsync(new JsonObject { ["busy"] = Node("test.block", new JsonObject { ["ms"] = 1_500 }) });
        var parent = await _workflows.PublishAsync(new JsonObject { ["call"] = Node("subworkflow", new JsonObject { ["workflowId"] = child }) });
        var execution = await _workflows.StartAsync(parent);
        var childId = $"{execution.GetPrimaryKeyString()}:call:1";
        await SignalAsync(TestSteps.StartedSignal(childId, "busy"), "the child's step to start");

        // As a silo shutting down does: the parent's activation goes, its step's token is cancelled.
        await execution.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var parentDone = await TerminalAsync(execution);
        var childDone = await TerminalAsync(fixture.Grains.GetGrain<IExecutionGrain>(childId));

        Assert.True(childDone.Status == ExecutionStatus.Succeeded, $"expected the child to run on to success; it ended {childDone.Status} ({childDone.Error?.Message})");
        Assert.True(parentDone.Status == ExecutionStatus.Succeeded, $"expected the parent to resume and take the child's result; it ended {parentDone.Status} ({parentDone.Error?.Message})");
        Assert.False(TestSteps.CancellationSignal(childId, "busy").Task.IsCompleted, "expected the child's step never to see its token cancelled");

        // The re-run of the step found the child announced (or announced it, if the first run's announcement never became durable): once.
        Assert.Single(await EventsAsync(execution), e => e.Type == EventTypes.ChildStarted);
    }
}
