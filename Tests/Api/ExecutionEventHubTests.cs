using System.Text.Json.Nodes;
using AgentOrleans.Api;
using AgentOrleans.Api.Executions;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Api;

/// <summary>The Api's per-process fan-out, on the test cluster's streams.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ExecutionEventHubTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    private ExecutionEventHub Hub(TimeSpan? logPollInterval = null) =>
        new(fixture.Cluster.Client, Options.Create(new ApiOptions { LogPollInterval = logPollInterval ?? TimeSpan.FromMinutes(10) }), TimeProvider.System);

    [Fact]
    public async Task WatchersGetOnlyTheirExecutionsEventsFromASharedPartitionAndTheLastToLeaveUnsubscribes()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var executionId = NewId("ex");
        // Another execution publishing on the same partition of the events stream.
        var neighbourId = Enumerable.Range(0, 1000).Select(_ => NewId("ex"))
            .First(id => StreamNames.PartitionOf(id) == StreamNames.PartitionOf(executionId));
        var hub = Hub();
        var (first, second, neighbour) = (new RecordingWatcher(), new RecordingWatcher(), new RecordingWatcher());
        var firstWatch = await hub.WatchAsync(executionId, first);
        var secondWatch = await hub.WatchAsync(executionId, second);
        var neighbourWatch = await hub.WatchAsync(neighbourId, neighbour);
        Assert.Equal(1, hub.SubscribedPartitions);
        Assert.Equal(2, hub.WatchedExecutions);

        await TerminalAsync(await _workflows.StartAsync(workflowId, executionId: neighbourId));
        await TerminalAsync(await _workflows.StartAsync(workflowId, executionId: executionId));
        await Task.WhenAll(first.Terminal.Task, second.Terminal.Task, neighbour.Terminal.Task).WaitAsync(Deadline);

        Assert.All(first.Seen, e => Assert.Equal(executionId, e.ExecutionId));
        Assert.Equal(first.Seen.Select(e => e.Seq), second.Seen.Select(e => e.Seq));
        Assert.All(neighbour.Seen, e => Assert.Equal(neighbourId, e.ExecutionId));
        await firstWatch.DisposeAsync();
        await secondWatch.DisposeAsync();
        Assert.Equal(1, hub.SubscribedPartitions);
        Assert.Equal(1, hub.WatchedExecutions);
        await neighbourWatch.DisposeAsync();
        Assert.Equal(0, hub.SubscribedPartitions);
        Assert.Equal(0, hub.WatchedExecutions);
    }

    [Fact]
    public async Task ACheckpointsEventsReachAWatcherInOneDelivery()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Node("test.count"), ["b"] = Node("test.count") });
        var executionId = NewId("ex");
        var watcher = new RecordingWatcher();
        await using var watch = await Hub().WatchAsync(executionId, watcher);

        await TerminalAsync(await _workflows.StartAsync(workflowId, executionId: executionId));
        await watcher.Terminal.Task.WaitAsync(Deadline);

        // Completing node a and starting node b is one checkpoint, so one delivery carries both (it may carry more checkpoints).
        Assert.Contains(watcher.Deliveries, d =>
            d.Any(e => e is { Type: EventTypes.NodeCompleted, NodeId: "a" }) && d.Any(e => e is { Type: EventTypes.NodeStarted, NodeId: "b" }));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), watcher.Seen.Select(e => e.Seq));
    }

    [Fact]
    public async Task AQuietFeedReadsTheLogForItsLiveWatchers()
    {
        // The run ends before anyone watches, so nothing more will be published: only the log poll can deliver.
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var executionId = NewId("ex");
        var probe = new RecordingWatcher();
        await using (await Hub().WatchAsync(executionId, probe))
        {
            // Seen live by a watcher that came first, every publish has left the stream: none can reach the hub below live.
            await TerminalAsync(await _workflows.StartAsync(workflowId, executionId: executionId));
            await probe.Terminal.Task.WaitAsync(Deadline);
        }

        var execution = fixture.Grains.GetGrain<IExecutionGrain>(executionId);
        var lastSeq = (await EventsAsync(execution))[^1].Seq;
        var hub = Hub(logPollInterval: TimeSpan.FromMilliseconds(100));
        var (atStart, midway, catchingUp) = (new RecordingWatcher(liveThrough: 0), new RecordingWatcher(liveThrough: 2), new RecordingWatcher());
        await using var w1 = await hub.WatchAsync(execution.GetPrimaryKeyString(), atStart);
        await using var w2 = await hub.WatchAsync(execution.GetPrimaryKeyString(), midway);
        await using var w3 = await hub.WatchAsync(execution.GetPrimaryKeyString(), catchingUp);

        await Task.WhenAll(atStart.Terminal.Task, midway.Terminal.Task, catchingUp.Terminal.Task).WaitAsync(Deadline);

        // One read, after the lowest live watcher's seq, serves every watcher (one catching up on its own does not hold it back).
        Assert.Equal(Enumerable.Range(1, (int)lastSeq).Select(i => (long)i), atStart.Deliveries[0].Select(e => e.Seq));
        Assert.Same(atStart.Deliveries[0], midway.Deliveries[0]);
        Assert.Same(atStart.Deliveries[0], catchingUp.Deliveries[0]);
    }

    /// <summary>Records what the hub hands over; live through a fixed seq (or catching up, when null).</summary>
    private sealed class RecordingWatcher(long? liveThrough = null) : IExecutionEventWatcher
    {
        private readonly Lock _lock = new();

        public List<IReadOnlyList<ExecutionEvent>> Deliveries { get; } = [];

        public IEnumerable<ExecutionEvent> Seen
        {
            get
            {
                lock (_lock)
                {
                    return [.. Deliveries.SelectMany(d => d)];
                }
            }
        }

        public TaskCompletionSource Terminal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long? LiveThrough => liveThrough;

        public void Deliver(IReadOnlyList<ExecutionEvent> events)
        {
            lock (_lock)
            {
                Deliveries.Add(events);
            }

            if (events.Any(e => e.IsTerminal))
            {
                Terminal.TrySetResult();
            }
        }
    }
}
