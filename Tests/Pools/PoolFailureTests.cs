using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Pools;
using AgentOrleans.Tests.Infrastructure;
using Orleans.Core.Internal;
using static AgentOrleans.Tests.Infrastructure.Runs;
using static AgentOrleans.Tests.Pools.PoolWaitTests;

namespace AgentOrleans.Tests.Pools;

/// <summary>Cluster pools when their grain fails or moves (pools <c>test:faulty</c> and <c>test:moves</c>, capacity 1, lease 1.5 s).</summary>
[Collection(ClusterCollection.Name)]
public sealed class PoolFailureTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task AFailedCallToThePoolGrainIsRetriedAndTheRunGoesOn()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["work"] = Needs(Node("test.count"), "test:faulty") });
        var before = CallFaults.InjectedInto<IPoolGrain>(nameof(IPoolGrain.AcquireAsync), "test:faulty");
        CallFaults.FailNext<IPoolGrain>(nameof(IPoolGrain.AcquireAsync), "test:faulty", 2, () => new InvalidOperationException("injected fault in pool 'test:faulty'"));

        var done = await TerminalAsync(await _workflows.StartAsync(workflowId));

        Assert.True(done.Status == ExecutionStatus.Succeeded, $"expected the run to ride out two failed pool calls; saw {done.Status} {done.Error?.Type} {done.Error?.Message}");
        Assert.Equal(2, CallFaults.InjectedInto<IPoolGrain>(nameof(IPoolGrain.AcquireAsync), "test:faulty") - before);
        Assert.Equal(0, (await fixture.Grains.GetGrain<IPoolGrain>("test:faulty").GetUsageAsync()).InUse);
    }

    [Fact]
    public async Task APoolGrainThatMovesKeepsThePermitsOfHoldersStillRenewing()
    {
        var pool = fixture.Grains.GetGrain<IPoolGrain>("test:moves");
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["hold"] = Needs(Node("test.block"), "test:moves") });
        var holder = await _workflows.StartAsync(workflowId);
        await SignalAsync(TestSteps.StartedSignal(holder.GetPrimaryKeyString(), "hold"), "the holder to start");

        // Held past its first lease: the stored expiry (written at the grant; renewals are not written) is in the
        // past once the holder has renewed later than a lease after the grant. Polled with a deadline.
        var granted = PoolCallLog.Received("test:moves", nameof(IPoolGrain.AcquireAsync)).Max();
        await Polling.UntilAsync(async () =>
        {
            Assert.Equal(1, (await pool.GetUsageAsync()).InUse);
            return PoolCallLog.Received("test:moves", nameof(IPoolGrain.RenewAsync)).Any(at => at > granted + LeaseDuration);
        }, Deadline, TimeSpan.FromMilliseconds(100));

        Assert.True(PoolCallLog.Received("test:moves", nameof(IPoolGrain.RenewAsync)).Any(at => at > granted + LeaseDuration), $"expected the holder to renew past its first lease within {Deadline}");
        Assert.Equal(1, (await pool.GetUsageAsync()).InUse);

        await pool.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var waiter = await _workflows.StartAsync(workflowId);
        var waiting = await PositionAsync(waiter, 1);
        var usage = await pool.GetUsageAsync();
        await holder.CancelAsync("next");
        await SignalAsync(TestSteps.StartedSignal(waiter.GetPrimaryKeyString(), "hold"), "the waiter to be served once the holder let go");
        await waiter.CancelAsync("done");
        await TerminalAsync(waiter);

        Assert.Equal("test:moves", waiting.WaitingForPool);
        Assert.Equal([IdempotencyKeyOf(holder)], usage.Holders);
    }

    private static readonly TimeSpan LeaseDuration = TimeSpan.Parse(ClusterFixture.Configuration["AgentOrleans:Pools:LeaseDuration"]!, System.Globalization.CultureInfo.InvariantCulture);

    private static string IdempotencyKeyOf(IExecutionGrain execution) => $"{execution.GetPrimaryKeyString()}:hold:1";
}
