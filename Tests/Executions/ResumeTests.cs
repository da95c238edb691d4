using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Executions;

[Collection(ClusterCollection.Name)]
public sealed class ResumeTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task AfterDeactivationTheRunResumesWithoutRerunningCompletedNodes()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["first"] = Node("test.count"),
            ["long"] = Node("test.block", new JsonObject { ["ms"] = 60_000 }),
            ["last"] = Node("test.count"),
        });
        var execution = await _workflows.StartAsync(workflowId);
        var id = execution.GetPrimaryKeyString();
        await SignalAsync(TestSteps.StartedSignal(id, "long"), "the long step to start");

        // Deactivate while 'long' is in flight: its token is cancelled and the checkpoint keeps it as the current node.
        await execution.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await SignalAsync(TestSteps.CancellationSignal(id, "long"), "the in-flight step to be stopped by the deactivation");
        TestSteps.Started.TryRemove($"{id}/long", out _);

        await execution.WakeAsync();
        await SignalAsync(TestSteps.StartedSignal(id, "long"), "the in-flight step to run again after reactivation");
        var snapshot = await execution.GetAsync();
        await execution.CancelAsync("done with the test");
        await TerminalAsync(execution);

        Assert.Equal("long", snapshot!.CurrentNodeId);
        Assert.Equal(1, TestSteps.RunCount($"{id}:first:1"));
        Assert.Equal(2, TestSteps.RunCount($"{id}:long:1"));
        var events = await EventsAsync(execution);
        AssertGapFree(events);
        var resumed = Assert.Single(events, e => e.Type == EventTypes.NodeStarted && e.NodeId == "long" && e.DataJson?.Contains("resumed") == true);
        Assert.Null(JsonNode.Parse(resumed.DataJson!)!["discardProgress"]); // the interrupted run streamed nothing to discard
    }

    [Fact]
    public async Task AResumeThatCannotReachTheClusterIsRetriedLaterInsteadOfFailingTheRun()
    {
        var (workflowId, execution, id) = await StartBlockedRunAsync();

        // As on a silo that just took over: no compiled workflow cached, and the definition's grain still
        // addressed to the dead silo for the next fetch.
        foreach (var silo in fixture.Cluster.Silos.Cast<Orleans.TestingHost.InProcessSiloHandle>())
        {
            silo.SiloHost.Services.GetRequiredService<CompiledWorkflowCache>().Clear();
        }

        CallFaults.FailNext<IWorkflowDefinitionGrain>(nameof(IWorkflowDefinitionGrain.GetAsync), workflowId, 1,
            () => new SiloUnavailableException($"injected: the definition of '{workflowId}' is on a silo that just died"));
        await execution.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await SignalAsync(TestSteps.CancellationSignal(id, "long"), "the deactivation to stop the step");
        TestSteps.Started.TryRemove($"{id}/long", out _);

        // The first resume hits the fault; the recovery reminder (2 s here) brings the run back again.
        await SignalAsync(TestSteps.StartedSignal(id, "long"), "the run to resume after the failed fetch");
        await execution.CancelAsync("test over");

        Assert.Equal(1, CallFaults.InjectedInto<IWorkflowDefinitionGrain>(nameof(IWorkflowDefinitionGrain.GetAsync), workflowId));
        Assert.Equal(ExecutionStatus.Cancelled, (await TerminalAsync(execution)).Status);
        Assert.DoesNotContain(await EventsAsync(execution), e => e.Type == EventTypes.ExecutionFailed);
    }

    [Fact]
    public async Task TheRecoveryReminderAloneBringsADeactivatedRunBack()
    {
        var (_, execution, id) = await StartBlockedRunAsync();

        await execution.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await SignalAsync(TestSteps.CancellationSignal(id, "long"), "the deactivation to stop the step");
        TestSteps.Started.TryRemove($"{id}/long", out _);

        // Nobody calls the grain: only its durable reminder (2 s in the test cluster) can revive it.
        await SignalAsync(TestSteps.StartedSignal(id, "long"), "the reminder to resume the run");
        await execution.CancelAsync("test over");

        Assert.Equal(ExecutionStatus.Cancelled, (await TerminalAsync(execution)).Status);
        Assert.Equal(2, TestSteps.RunCount($"{id}:long:1"));
    }

    [Fact]
    public async Task ADelayResumedAfterDeactivationWaitsOnlyWhatIsLeft()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["nap"] = Node("delay", new JsonObject { ["duration"] = "1500ms" }),
            ["after"] = Node("test.count"),
        });
        var execution = await _workflows.StartAsync(workflowId);
        var started = await EventAsync(execution, EventTypes.NodeStarted, "nap");

        await execution.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await execution.WakeAsync();
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var afterStarted = (await EventsAsync(execution)).Single(e => e.Type == EventTypes.NodeStarted && e.NodeId == "after");
        // Counted from the attempt's first start: not restarted from zero, not skipped.
        Assert.InRange(afterStarted.At - started.At, TimeSpan.FromMilliseconds(1400), TimeSpan.FromMilliseconds(2900));
    }

    /// <summary>A run whose one node, <c>long</c>, has started and blocks until cancelled.</summary>
    private async Task<(string WorkflowId, IExecutionGrain Execution, string Id)> StartBlockedRunAsync()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["long"] = Node("test.block") });
        var execution = await _workflows.StartAsync(workflowId);
        var id = execution.GetPrimaryKeyString();
        await SignalAsync(TestSteps.StartedSignal(id, "long"), "the step to start");
        return (workflowId, execution, id);
    }
}
