using AgentOrleans.Grains.Pools;

namespace AgentOrleans.Tests.Pools;

/// <summary>The waiter line of a cluster pool, between tenants: weighted fair, priority kept within a tenant.</summary>
public sealed class PoolQueueFairnessTests
{
    private static readonly string[] Waiters = ["a1", "a2", "a3", "b1", "b2"];

    [Fact]
    public void AQuietTenantsWaiterIsServedWithinTwoGrantsWhileAnotherTenantHasAThousandWaiting()
    {
        var queue = new PoolQueue<string>();
        for (var i = 0; i < 1000; i++)
        {
            queue.Enqueue($"flood-{i}", priority: 0, tenant: "flood");
        }

        queue.Dequeue();
        queue.Enqueue("quiet", priority: 0, tenant: "quiet");
        var position = queue.PositionOf(w => w == "quiet");
        List<string> served = [queue.Dequeue(), queue.Dequeue()];

        Assert.Contains("quiet", served);
        Assert.InRange(position, 1, 2);
        Assert.Equal(998, queue.Count);
    }

    [Fact]
    public void TenantsAreServedInProportionToTheirWeights()
    {
        var queue = new PoolQueue<string>();
        for (var i = 0; i < 100; i++)
        {
            queue.Enqueue($"light-{i}", priority: 0, tenant: "light", weight: 1);
            queue.Enqueue($"heavy-{i}", priority: 0, tenant: "heavy", weight: 3);
        }

        var served = Enumerable.Range(0, 40).Select(_ => queue.Dequeue()).ToList();

        Assert.Equal(30, served.Count(s => s.StartsWith("heavy", StringComparison.Ordinal)));
        Assert.Equal(10, served.Count(s => s.StartsWith("light", StringComparison.Ordinal)));
    }

    [Fact]
    public void ATenantsOwnWaitersKeepTheirPriorityOrder()
    {
        var queue = new PoolQueue<string>();
        queue.Enqueue("a-low", priority: 0, tenant: "a");
        queue.Enqueue("b-1", priority: 0, tenant: "b");
        queue.Enqueue("a-high", priority: 5, tenant: "a");
        queue.Enqueue("b-2", priority: 0, tenant: "b");

        var served = Enumerable.Range(0, 4).Select(_ => queue.Dequeue()).ToList();

        Assert.Equal(["a-high", "b-1", "a-low", "b-2"], served);
    }

    [Fact]
    public void ATenantThatWasIdleBanksNoCredit()
    {
        var queue = new PoolQueue<string>();
        queue.Enqueue("idle-0", priority: 0, tenant: "idle");
        queue.Dequeue();
        for (var i = 0; i < 50; i++)
        {
            queue.Enqueue($"busy-{i}", priority: 0, tenant: "busy");
        }

        for (var i = 0; i < 40; i++)
        {
            queue.Dequeue();
        }

        queue.Enqueue("idle-1", priority: 0, tenant: "idle");
        queue.Enqueue("idle-2", priority: 0, tenant: "idle");
        queue.Enqueue("idle-3", priority: 0, tenant: "idle");
        var next = Enumerable.Range(0, 6).Select(_ => queue.Dequeue()).ToList();

        // Alternating from its return on, not all three of its waiters first for the forty grants it missed.
        Assert.Equal(3, next.Count(s => s.StartsWith("idle", StringComparison.Ordinal)));
        Assert.NotEqual(["idle-1", "idle-2", "idle-3"], next.Take(3));
    }

    [Fact]
    public void PositionsFollowTheOrderOfService()
    {
        var queue = new PoolQueue<string>();
        foreach (var (item, tenant) in new[] { ("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b"), ("b2", "b") })
        {
            queue.Enqueue(item, priority: 0, tenant: tenant);
        }

        var positions = Waiters.ToDictionary(i => i, i => queue.PositionOf(w => w == i));
        var order = Enumerable.Range(0, 5).Select(_ => queue.Dequeue()).ToList();

        Assert.Equal(order, positions.OrderBy(p => p.Value).Select(p => p.Key));
        Assert.Equal([1, 2, 3, 4, 5], positions.Values.Order());
        Assert.Equal(0, queue.PositionOf(w => w == "a1"));
    }
}
