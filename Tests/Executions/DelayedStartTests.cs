using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using Orleans.Streams;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Executions;

/// <summary>Starts with a start time ahead: scheduled, out of memory while far off, begun within a second of the time, cancellable.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DelayedStartTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    private Task<string> PublishAsync() => _workflows.PublishAsync(new JsonObject { ["a"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["x"] = 1 } }) });

    private async Task<(IExecutionGrain Execution, StartResult Started)> StartAsync(string workflowId, DateTimeOffset startAt)
    {
        var execution = fixture.Grains.GetGrain<IExecutionGrain>(NewId("ex"));
        return (execution, await execution.StartAsync(new StartExecution(workflowId, null, null) { StartAt = startAt }));
    }

    [Fact]
    public async Task AScheduledStartLeavesMemoryAndBeginsWithinASecondOfItsTime()
    {
        // Further off than the test cluster's ParkAfter (2 s): the execution parks, and its reminder brings it back.
        var startAt = DateTimeOffset.UtcNow.AddSeconds(5);
        var (execution, started) = await StartAsync(await PublishAsync(), startAt);

        Assert.Equal(StartOutcome.Started, started.Outcome);
        Assert.Equal(ExecutionStatus.Scheduled, started.Execution!.Status);
        Assert.Equal(startAt, started.Execution.ScheduledFor);
        Assert.True(await _workflows.ActivationGoneAsync(execution), "expected the scheduled execution to leave memory");

        // Nobody calls the execution until it has ended: its live events (the stream touches no grain) say it began by itself.
        var ended = new TaskCompletionSource<ExecutionEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = fixture.Cluster.Client.GetStreamProvider(StreamNames.Provider)
            .GetStream<ExecutionEvent>(StreamId.Create(StreamNames.Namespace, StreamNames.PartitionOf(execution.GetPrimaryKeyString())));
        var subscription = await stream.SubscribeAsync((e, _) =>
        {
            if (e.ExecutionId == execution.GetPrimaryKeyString() && EventTypes.IsTerminal(e.Type))
            {
                ended.TrySetResult(e);
            }

            return Task.CompletedTask;
        });
        var terminal = await ended.Task.WaitAsync(Deadline);
        await subscription.UnsubscribeAsync();
        Assert.Equal(EventTypes.ExecutionCompleted, terminal.Type);
        var done = await TerminalAsync(execution);
        var events = await EventsAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.InRange(done.StartedAt!.Value - startAt, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Equal([EventTypes.ExecutionQueued, EventTypes.ExecutionScheduled, EventTypes.ExecutionStarted], events.Take(3).Select(e => e.Type));
        AssertGapFree(events);
    }

    [Fact]
    public async Task AScheduledStartIsCancelledBeforeItBegins()
    {
        var (execution, _) = await StartAsync(await PublishAsync(), DateTimeOffset.UtcNow.AddHours(1));

        var cancel = await execution.CancelAsync("not needed");
        var done = await TerminalAsync(execution);
        var again = await execution.StartAsync(new StartExecution(done.WorkflowId, null, null) { StartAt = DateTimeOffset.UtcNow.AddHours(2) });

        Assert.True(cancel.Accepted);
        Assert.Equal(ExecutionStatus.Cancelled, done.Status);
        Assert.Null(done.ScheduledFor);
        Assert.DoesNotContain(await EventsAsync(execution), e => e.Type == EventTypes.NodeStarted);
        Assert.Equal(StartOutcome.AlreadyStarted, again.Outcome); // the start time is not part of the request's identity
    }

    [Fact]
    public async Task AStartTimeInThePastBeginsNow()
    {
        var (execution, started) = await StartAsync(await PublishAsync(), DateTimeOffset.UtcNow.AddMinutes(-5));

        Assert.NotEqual(ExecutionStatus.Scheduled, started.Execution!.Status);
        Assert.Equal(ExecutionStatus.Succeeded, (await TerminalAsync(execution)).Status);
    }
}
