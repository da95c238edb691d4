using AgentOrleans.Grains.Pools;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Pools;

/// <summary>A cluster pool's permits are shared between tenants (the tenant of each holder's execution), not by arrival alone.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PoolFairnessTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AQuietTenantsWaiterIsServedWithinTwoReleasedPermitsWhileAnotherTenantHasAThousandWaiting()
    {
        var pool = fixture.Grains.GetGrain<IPoolGrain>("test:fair");
        var run = NewId("fair");
        var flood = Enumerable.Range(0, 1001).Select(i => $"flood/{run}-{i}:work:1").ToList();
        var quiet = $"quiet/{run}:work:1";
        Assert.True((await pool.AcquireAsync(flood[0], 1, priority: 0)).Granted);
        await Task.WhenAll(flood.Skip(1).Select(h => pool.AcquireAsync(h, 1, priority: 0)));

        var queued = await pool.AcquireAsync(quiet, 1, priority: 0);
        var waitingBefore = (await pool.GetUsageAsync()).Waiting;
        var releases = 0;
        var holder = flood[0];
        while (!(await pool.AcquireAsync(quiet, 1, 0)).Granted && releases < 2)
        {
            await pool.ReleaseAsync(holder);
            releases++;
            holder = (await pool.GetUsageAsync()).Holders.Single();
        }

        var usage = await pool.GetUsageAsync();
        await Task.WhenAll(flood.Append(quiet).Select(pool.ReleaseAsync));

        Assert.False(queued.Granted);
        Assert.InRange(queued.Position, 1, 2);
        Assert.Equal(1001, waitingBefore);
        Assert.InRange(releases, 1, 2);
        Assert.Equal([quiet], usage.Holders);
        Assert.True(usage.Waiting >= 998, $"the flood was still waiting: {usage.Waiting} waiters");
    }
}
