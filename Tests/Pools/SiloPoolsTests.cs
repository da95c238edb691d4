using AgentOrleans.Grains.Pools;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Tests.Pools;

/// <summary>The per-silo pools as plain objects: grants, the line and its positions.</summary>
public sealed class SiloPoolsTests
{
    private static SiloPools Pools(int capacity)
    {
        var options = new PoolOptions();
        options.PerSilo["cpu"] = capacity;
        return new SiloPools(Options.Create(options));
    }

    [Fact]
    public async Task PositionsMoveUpAsThoseAheadAreServedOrLeave()
    {
        var pools = Pools(1);
        var holder = pools.Enter("cpu", 1, priority: 0);
        var (first, second, third) = (pools.Enter("cpu", 1, 0), pools.Enter("cpu", 1, 0), pools.Enter("cpu", 1, 0));
        var queued = (first.Position, second.Position, third.Position);
        var thirdMoved = third.Moved;

        pools.Leave(second);
        await thirdMoved.WaitAsync(TimeSpan.FromSeconds(5));
        var afterLeaving = (first.Position, third.Position);
        pools.Leave(holder);
        var afterServing = (first.IsGranted, first.Position, third.Position);

        Assert.True(holder.IsGranted);
        Assert.Equal((1, 2, 3), queued);
        Assert.Equal((1, 2), afterLeaving);
        Assert.Equal((true, 0, 1), afterServing);
    }

    [Fact]
    public void AHigherPriorityJoinsAheadAndPushesTheOthersBack()
    {
        var pools = Pools(1);
        pools.Enter("cpu", 1, priority: 0);
        var normal = pools.Enter("cpu", 1, priority: 0);

        var urgent = pools.Enter("cpu", 1, priority: 5);

        Assert.Equal((1, 2), (urgent.Position, normal.Position));
    }

    [Fact]
    public void PermitsComeBackOnceAndANeedLargerThanThePoolIsGrantedAlone()
    {
        var pools = Pools(2);
        var small = pools.Enter("cpu", 1, 0);
        var large = pools.Enter("cpu", 3, 0);
        var afterLarge = pools.Enter("cpu", 1, 0);

        pools.Leave(small);
        pools.Leave(small);
        var largeGranted = large.IsGranted;
        pools.Leave(large);

        Assert.True(largeGranted, "a need of 3 in a pool of 2 is granted once the pool is empty");
        Assert.True(afterLarge.IsGranted);
    }
}
