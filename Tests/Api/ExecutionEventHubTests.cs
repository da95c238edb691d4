using System.Text.Json.Nodes;
using AgentOrleans.Api;
using AgentOrleans.Api.Executions;
using AgentOrleans.Client;
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

    private ExecutionEventHub Hub(int buffer) => new(fixture.Cluster.Client, Options.Create(new ApiOptions { SseClientBufferEvents = buffer }));

    [Fact]
    public async Task AClientThatFallsBehindItsBufferIsCutOffWhileOthersKeepEveryEvent()
    {
        var nodes = new JsonObject();
        // ~200 events against the stalled client's buffer of 50.
        for (var i = 0; i < 100; i++)
        {
            nodes[$"n{i}"] = Node("test.count");
        }

        var workflowId = await _workflows.PublishAsync(nodes);
        var executionId = NewId("ex");
        var hub = Hub(buffer: 50);
        await using var stalled = await hub.SubscribeAsync(executionId);
        // The reader's buffer holds the whole run, so only the stalled client can overflow, however bursty the stream.
        await using var reading = await hub.SubscribeAsync(executionId, bufferEvents: 10_000);
        var received = new List<long>();
        var execution = fixture.Grains.GetGrain<IExecutionGrain>(executionId);

        await _workflows.StartAsync(workflowId, executionId: executionId);

        // The reading client follows as the SSE endpoint does: live buffer plus the log for what the stream missed.
        var reader = Task.Run(async () =>
        {
            await foreach (var e in ExecutionEventFollower.FollowAsync((seq, _) => execution.GetEventsAsync(seq, 500), reading.Reader, 0, TimeSpan.FromSeconds(1)))
            {
                received.Add(e.Seq);
            }
        });
        await TerminalAsync(execution);
        await reader.WaitAsync(Deadline);

        await stalled.CutOff.WaitAsync(Deadline);
        var buffered = new List<long>();
        var cutOff = await Assert.ThrowsAsync<ClientTooSlowException>(async () =>
        {
            await foreach (var e in stalled.Reader.ReadAllAsync())
            {
                buffered.Add(e.Seq);
            }
        });
        Assert.Contains("too far behind", cutOff.Message, StringComparison.Ordinal);
        // The live stream may skip events (the log fills gaps for real readers), so the buffer is ordered, not contiguous.
        Assert.Equal(50, buffered.Count);
        Assert.True(buffered.Zip(buffered.Skip(1)).All(p => p.First < p.Second), $"expected increasing seqs, saw {string.Join(",", buffered)}");
        var retained = (await EventsAsync(execution)).Select(e => e.Seq).ToList();
        Assert.Equal(Enumerable.Range((int)received[0], received.Count).Select(i => (long)i), received);
        Assert.Equal(retained[^1], received[^1]);
        Assert.Subset(received.ToHashSet(), retained.ToHashSet());
    }

    [Fact]
    public async Task ClientsGetOnlyTheirExecutionsEventsFromASharedPartitionAndTheLastToLeaveUnsubscribes()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var executionId = NewId("ex");
        // Another execution publishing on the same partition of the events stream.
        var neighbourId = Enumerable.Range(0, 1000).Select(_ => NewId("ex"))
            .First(id => StreamNames.AllPartitionKeyOf(id) == StreamNames.AllPartitionKeyOf(executionId));
        var hub = Hub(buffer: 100);
        var first = await hub.SubscribeAsync(executionId);
        var second = await hub.SubscribeAsync(executionId);
        var neighbour = await hub.SubscribeAsync(neighbourId);
        Assert.Equal(1, hub.SubscribedPartitions);

        await TerminalAsync(await _workflows.StartAsync(workflowId, executionId: neighbourId));
        await TerminalAsync(await _workflows.StartAsync(workflowId, executionId: executionId));
        var firstSeen = await ReadToTerminalAsync(first);
        var secondSeen = await ReadToTerminalAsync(second);
        var neighbourSeen = await ReadToTerminalAsync(neighbour);

        Assert.All(firstSeen, e => Assert.Equal(executionId, e.ExecutionId));
        Assert.Equal(firstSeen.Select(e => e.Seq), secondSeen.Select(e => e.Seq));
        Assert.All(neighbourSeen, e => Assert.Equal(neighbourId, e.ExecutionId));
        await first.DisposeAsync();
        await second.DisposeAsync();
        Assert.Equal(1, hub.SubscribedPartitions);
        await neighbour.DisposeAsync();
        Assert.Equal(0, hub.SubscribedPartitions);
    }

    /// <summary>What a client's buffer received, through the terminal event.</summary>
    private static async Task<List<ExecutionEvent>> ReadToTerminalAsync(HubSubscription subscription)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var seen = new List<ExecutionEvent>();
        await foreach (var e in subscription.Reader.ReadAllAsync(timeout.Token))
        {
            seen.Add(e);
            if (e.IsTerminal)
            {
                return seen;
            }
        }

        return seen;
    }
}
