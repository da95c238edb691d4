using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using Orleans.Runtime.Placement;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Pools;

/// <summary>What a node waiting for a pool shows and how its time is counted.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PoolWaitTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task AWaitersPositionInStatusMovesUpAsThoseAheadAreServed()
    {
        // A per-silo pool has one line per silo: every execution is placed on the same silo.
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["hold"] = Needs(Node("test.block"), "test-silo") });
        var holder = await StartOnPrimaryAsync(workflowId);
        await SignalAsync(TestSteps.StartedSignal(holder.GetPrimaryKeyString(), "hold"), "the holder to start");
        List<IExecutionGrain> waiters = [];
        for (var i = 1; i <= 3; i++)
        {
            waiters.Add(await StartOnPrimaryAsync(workflowId));
            await PositionAsync(waiters[^1], i);
        }

        await holder.CancelAsync("next");
        await SignalAsync(TestSteps.StartedSignal(waiters[0].GetPrimaryKeyString(), "hold"), "the first waiter to be served");
        var afterFirst = (await PositionAsync(waiters[1], 1), await PositionAsync(waiters[2], 2));
        await waiters[0].CancelAsync("next");
        await SignalAsync(TestSteps.StartedSignal(waiters[1].GetPrimaryKeyString(), "hold"), "the second waiter to be served");
        var afterSecond = await PositionAsync(waiters[2], 1);
        foreach (var execution in waiters.Skip(1))
        {
            await execution.CancelAsync("done");
            await TerminalAsync(execution);
        }

        Assert.Equal((1, 2), (afterFirst.Item1.PoolPosition, afterFirst.Item2.PoolPosition));
        Assert.Equal(("test-silo", 1), (afterSecond.WaitingForPool, afterSecond.PoolPosition));
    }

    [Fact]
    public async Task ANodeTimeoutCountsFromWhenThePermitsAreGrantedNotFromTheWait()
    {
        var holds = await _workflows.PublishAsync(new JsonObject { ["hold"] = Needs(Node("test.block", new JsonObject { ["ms"] = 900 }), "test:one") });
        var quick = await _workflows.PublishAsync(new JsonObject
        {
            ["work"] = Needs(Node("test.block", new JsonObject { ["ms"] = 100 }, timeout: "400ms"), "test:one"),
        });
        var holder = await _workflows.StartAsync(holds);
        await SignalAsync(TestSteps.StartedSignal(holder.GetPrimaryKeyString(), "hold"), "the holder to start");

        var waiter = await _workflows.StartAsync(quick);
        await PositionAsync(waiter, 1);
        var done = await TerminalAsync(waiter);

        Assert.True(done.Status == ExecutionStatus.Succeeded, $"expected the node to succeed: its 400 ms start when the permit is granted; saw {done.Status} {done.Error?.Type} {done.Error?.Message}");
        var events = await EventsAsync(waiter);
        var waited = events.Single(e => e.Type == EventTypes.NodeCompleted).At - events.First(e => e.Type == EventTypes.NodeStarted).At;
        Assert.True(waited > TimeSpan.FromMilliseconds(400), $"expected the node to take longer than its timeout in all (it waited for the holder); it took {waited}");
        Assert.Equal(ExecutionStatus.Succeeded, (await TerminalAsync(holder)).Status);
    }

    [Fact]
    public async Task TheQueuedGaugeCountsTheExecutionsWaitingForPermits()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["hold"] = Needs(Node("test.block"), "test-silo") });
        var holder = await StartOnPrimaryAsync(workflowId);
        await SignalAsync(TestSteps.StartedSignal(holder.GetPrimaryKeyString(), "hold"), "the holder to start");
        var waiter = await StartOnPrimaryAsync(workflowId);
        await PositionAsync(waiter, 1);
        var whileWaiting = (Queued: ObservedOnPrimary("agentorleans.executions.queued", workflowId), Running: ObservedOnPrimary("agentorleans.executions.running", workflowId));

        await holder.CancelAsync("next");
        await SignalAsync(TestSteps.StartedSignal(waiter.GetPrimaryKeyString(), "hold"), "the waiter to be served");
        await TerminalAsync(holder);

        // The gauges follow the end a moment after it is readable: read them until they settle, within the deadline.
        var served = await Polling.UntilAsync(
            () => Task.FromResult((Queued: ObservedOnPrimary("agentorleans.executions.queued", workflowId), Running: ObservedOnPrimary("agentorleans.executions.running", workflowId))),
            g => g == (0, 1),
            Deadline,
            TimeSpan.FromMilliseconds(20));
        await waiter.CancelAsync("done");
        await TerminalAsync(waiter);

        Assert.Equal((1, 1), whileWaiting);
        Assert.Equal((0, 1), served);
    }

    /// <summary>The primary silo's observable gauge for one workflow, as an exporter would read it now.</summary>
    private long ObservedOnPrimary(string instrument, string workflowId)
    {
        var metrics = ((Orleans.TestingHost.InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services.GetRequiredService<AgentOrleans.Grains.Telemetry.AgentOrleansMetrics>();
        long value = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (published, l) =>
        {
            if (ReferenceEquals(published.Meter, metrics.Meter) && published.Name == instrument)
            {
                l.EnableMeasurementEvents(published);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measured, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "workflow" && tag.Value as string == workflowId)
                {
                    value += measured;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }

    private async Task<IExecutionGrain> StartOnPrimaryAsync(string workflowId)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, fixture.Cluster.Primary!.SiloAddress);
        try
        {
            return await _workflows.StartAsync(workflowId);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    internal static JsonObject Needs(JsonObject node, string pool)
    {
        node["needs"] = new JsonObject { [pool] = 1 };
        return node;
    }

    /// <summary>Polls the status until it shows <paramref name="position"/> in a pool's line; fails naming what it saw.</summary>
    internal static async Task<ExecutionSnapshot> PositionAsync(IExecutionGrain execution, int position)
    {
        static bool AtPosition(ExecutionSnapshot? s, int position) => s?.WaitingForPool is not null && s.PoolPosition == position;
        var snapshot = await Polling.UntilAsync(execution.GetAsync, s => AtPosition(s, position), Deadline, TimeSpan.FromMilliseconds(20));
        if (AtPosition(snapshot, position))
        {
            return snapshot!;
        }

        Assert.Fail($"expected {execution.GetPrimaryKeyString()} at position {position} in a pool's line; last seen {snapshot?.Status} waiting for {snapshot?.WaitingForPool} at {snapshot?.PoolPosition}");
        return null!;
    }
}
