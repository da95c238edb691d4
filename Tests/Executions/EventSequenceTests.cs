using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using Orleans.Streams;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Executions;

[Collection(ClusterCollection.Name)]
public sealed class EventSequenceTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task ManyConcurrentReadersEachSeeTheWholeSequenceWithoutGapOrDuplicate()
    {
        var nodes = new JsonObject();
        for (var i = 0; i < 10; i++)
        {
            nodes[$"n{i}"] = Node("test.progress", new JsonObject { ["chunks"] = 5 });
        }

        var workflowId = await _workflows.PublishAsync(nodes);
        var execution = await _workflows.StartAsync(workflowId);

        // Readers poll while the run is going on, each from its own position, as SSE clients resuming would.
        var readers = Enumerable.Range(0, 50).Select(async reader =>
        {
            var seen = new List<ExecutionEvent>();
            long after = 0;
            var until = DateTime.UtcNow + Deadline;
            while (DateTime.UtcNow < until)
            {
                var page = await execution.GetEventsAsync(after, 1 + (reader % 7));
                seen.AddRange(page.Events);
                after = page.Next;
                if (page.IsTerminal)
                {
                    return seen;
                }
            }

            return seen;
        }).ToList();
        var results = await Task.WhenAll(readers);
        var all = await EventsAsync(execution);

        Assert.Equal(EventTypes.ExecutionCompleted, all[^1].Type);
        AssertGapFree(all);
        foreach (var seen in results)
        {
            Assert.Equal(all.Select(e => e.Seq), seen.Select(e => e.Seq));
        }
    }

    [Fact]
    public async Task ThousandsOfProgressChunksAreCoalescedIntoFewEventsAndNoneIsLost()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["stream"] = Node("test.progress", new JsonObject { ["chunks"] = 5000 }) });
        var execution = await _workflows.StartAsync(workflowId);

        await TerminalAsync(execution);
        var progress = (await EventsAsync(execution)).Where(e => e.Type == EventTypes.NodeProgress).ToList();
        var chunks = progress.SelectMany(e => JsonNode.Parse(e.DataJson!)!["chunks"]!.AsArray()).Select(c => c!["i"]!.GetValue<int>()).ToList();

        Assert.Equal(Enumerable.Range(0, 5000), chunks);
        // At most 500 chunks an event, and far fewer events (hence storage writes) than chunks.
        Assert.InRange(progress.Count, 10, 100);
        Assert.All(progress, e => Assert.Equal("stream", e.NodeId));
    }

    [Fact]
    public async Task TheBoundedLogTrimsTheOldestEventsAndSaysSo()
    {
        // The test cluster keeps 200 events; each node adds two.
        var nodes = new JsonObject();
        for (var i = 0; i < 120; i++)
        {
            nodes[$"n{i}"] = Node("test.count");
        }

        var workflowId = await _workflows.PublishAsync(nodes);
        var execution = await _workflows.StartAsync(workflowId);
        await TerminalAsync(execution);

        var fromStart = await execution.GetEventsAsync(0, 10);
        var retained = await EventsAsync(execution, fromStart.TrimmedThrough!.Value);

        Assert.NotNull(fromStart.TrimmedThrough);
        Assert.Equal(fromStart.TrimmedThrough + 1, fromStart.Events[0].Seq);
        Assert.Equal(200, retained.Count);
        AssertGapFree(retained, fromStart.TrimmedThrough.Value + 1);
        Assert.Null((await execution.GetEventsAsync(fromStart.TrimmedThrough.Value, 10)).TrimmedThrough);
    }

    [Fact]
    public async Task EventsArePublishedOnTheExecutionsPartitionInOrder()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["gate"] = Node("test.block", new JsonObject { ["ms"] = 200 }),
            ["a"] = Node("test.count"),
            ["b"] = Node("test.count"),
        });
        var executionId = NewId("ex");
        var received = new ConcurrentQueue<ExecutionEvent>();
        var terminal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = fixture.Cluster.Client.GetStreamProvider(StreamNames.Provider)
            .GetStream<ExecutionEvent>(StreamId.Create(StreamNames.Namespace, StreamNames.PartitionOf(executionId)));
        var subscription = await stream.SubscribeAsync((e, _) =>
        {
            // The partition carries other executions' events too.
            if (e.ExecutionId != executionId)
            {
                return Task.CompletedTask;
            }

            received.Enqueue(e);
            if (e.IsTerminal)
            {
                terminal.TrySetResult();
            }

            return Task.CompletedTask;
        });

        var execution = await _workflows.StartAsync(workflowId, executionId: executionId);
        await SignalAsync(terminal, "the terminal event on the stream");
        await subscription.UnsubscribeAsync();

        var log = await EventsAsync(execution);
        Assert.Equal(log.Select(e => e.Seq), received.Select(e => e.Seq));
    }

    [Fact]
    public async Task EveryEventCarriesItsTypeTimeAndNodeFields()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["only"] = Node("test.count") });
        var execution = await _workflows.StartAsync(workflowId);
        await TerminalAsync(execution);

        var events = await EventsAsync(execution);

        Assert.All(events.Where(e => e.Type.StartsWith("node.", StringComparison.Ordinal)), e =>
        {
            Assert.Equal("only", e.NodeId);
            Assert.Equal(1, e.Attempt);
        });
        Assert.All(events.Where(e => e.Type.StartsWith("execution.", StringComparison.Ordinal)), e => Assert.Null(e.NodeId));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.At <= p.Second.At));
        Assert.Contains(workflowId, events[0].DataJson, StringComparison.Ordinal);
    }
}
