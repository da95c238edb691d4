using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Pools;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Pools;

/// <summary>Pools of the test cluster: cluster <c>test:two</c> = 2, <c>test:one</c> = 1; per silo <c>test-silo</c> = 1 (two silos).</summary>
[Collection(ClusterCollection.Name)]
public sealed class PoolTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Theory]
    [InlineData("test:two", 2)]
    [InlineData("test-silo", 2)]
    public async Task APoolIsNeverOverCapacityUnderConcurrentLoad(string pool, int clusterCapacity)
    {
        var probe = NewId("probe");
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["work"] = Needs(Node("test.probe", new JsonObject { ["probe"] = probe, ["ms"] = 40 }), pool),
        });

        var executions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _workflows.StartAsync(workflowId)));
        var done = await Task.WhenAll(executions.Select(TerminalAsync));

        Assert.All(done, d => Assert.Equal(ExecutionStatus.Succeeded, d.Status));
        Assert.InRange(TestSteps.MaxProbe(probe), 1, clusterCapacity);
        if (pool.StartsWith("test:", StringComparison.Ordinal))
        {
            Assert.Equal(0, (await fixture.Grains.GetGrain<IPoolGrain>(pool).GetUsageAsync()).InUse);
        }
    }

    [Fact]
    public async Task PermitsComeBackWhenAHolderIsCancelledOrFails()
    {
        var blocks = await _workflows.PublishAsync(new JsonObject { ["hold"] = Needs(Node("test.block"), "test:one") });
        var counts = await _workflows.PublishAsync(new JsonObject { ["use"] = Needs(Node("test.count"), "test:one") });
        var fails = await _workflows.PublishAsync(new JsonObject { ["fail"] = Needs(Node("test.flaky", new JsonObject { ["failures"] = 9 }), "test:one") });
        var holder = await _workflows.StartAsync(blocks);
        await SignalAsync(TestSteps.StartedSignal(holder.GetPrimaryKeyString(), "hold"), "the holder to start");

        var waiter = await _workflows.StartAsync(counts);
        var waiting = await WaitingAsync(waiter);
        await holder.CancelAsync("test");
        var afterCancel = await TerminalAsync(waiter);
        var failed = await TerminalAsync(await _workflows.StartAsync(fails));
        var afterFailure = await TerminalAsync(await _workflows.StartAsync(counts));

        Assert.Equal(("test:one", 1), (waiting.WaitingForPool, waiting.PoolPosition));
        Assert.Equal(ExecutionStatus.Succeeded, afterCancel.Status);
        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Equal(ExecutionStatus.Succeeded, afterFailure.Status);
        Assert.Equal(0, (await fixture.Grains.GetGrain<IPoolGrain>("test:one").GetUsageAsync()).InUse);
    }

    [Fact]
    public async Task WaitersAreServedByPriorityThenInArrivalOrder()
    {
        var pool = fixture.Grains.GetGrain<IPoolGrain>("test:one");
        var (holder, early, late, urgent) = (NewId("h"), NewId("early"), NewId("late"), NewId("urgent"));
        var held = await AcquireWhenFreeAsync(pool, holder);

        var earlyTicket = await pool.AcquireAsync(early, 1, priority: 0);
        var lateTicket = await pool.AcquireAsync(late, 1, priority: 0);
        var urgentTicket = await pool.AcquireAsync(urgent, 1, priority: 5);
        await pool.ReleaseAsync(holder);
        var afterRelease = (Urgent: await pool.AcquireAsync(urgent, 1, 5), Early: await pool.AcquireAsync(early, 1, 0));
        await pool.ReleaseAsync(urgent);
        var early2 = await pool.AcquireAsync(early, 1, 0);
        await pool.ReleaseAsync(early);
        await pool.ReleaseAsync(late);

        Assert.True(held.Granted);
        Assert.Equal((1, 2), (earlyTicket.Position, lateTicket.Position));
        Assert.Equal(1, urgentTicket.Position);
        Assert.True(afterRelease.Urgent.Granted);
        Assert.Equal((false, 1), (afterRelease.Early.Granted, afterRelease.Early.Position));
        Assert.True(early2.Granted);
    }

    [Fact]
    public async Task PermitsOfAHolderThatStopsRenewingComeBackWhenItsLeaseExpires()
    {
        var pool = fixture.Grains.GetGrain<IPoolGrain>("test:one");
        var (lost, next) = (NewId("lost"), NewId("next"));
        Assert.True((await AcquireWhenFreeAsync(pool, lost)).Granted);

        // The holder never renews, as when its silo died; the next one polls as a waiter does.
        var ticket = await AcquireWhenFreeAsync(pool, next);
        var renewed = await pool.RenewAsync(lost);
        await pool.ReleaseAsync(next);

        Assert.True(ticket.Granted, $"expected the permit back after the 1.5 s lease; still at position {ticket.Position}");
        Assert.False(renewed);
    }

    private static async Task<PoolTicket> AcquireWhenFreeAsync(IPoolGrain pool, string holder)
    {
        return await Polling.UntilAsync(() => pool.AcquireAsync(holder, 1, priority: 100), t => t.Granted, Deadline, TimeSpan.FromMilliseconds(20));
    }

    private static JsonObject Needs(JsonObject node, string pool)
    {
        node["needs"] = new JsonObject { [pool] = 1 };
        return node;
    }

    private static async Task<ExecutionSnapshot> WaitingAsync(IExecutionGrain execution)
    {
        var snapshot = await Polling.UntilAsync(execution.GetAsync, s => s?.WaitingForPool is not null, Deadline, TimeSpan.FromMilliseconds(20));
        if (snapshot?.WaitingForPool is not null)
        {
            return snapshot;
        }

        Assert.Fail($"expected the execution to wait for a pool; last seen {snapshot?.Status} at {snapshot?.CurrentNodeId}");
        return null!;
    }
}
