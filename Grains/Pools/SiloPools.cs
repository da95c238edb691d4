using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Pools;

/// <summary>
/// This silo's pools (<c>AgentOrleans:Pools:PerSilo</c>): permits live in memory, so they vanish
/// with the silo and need no lease. Waiters are served by priority, then in arrival order, and
/// each one's place in line is kept current as those ahead are served or leave.
/// </summary>
public sealed class SiloPools(IOptions<PoolOptions> options)
{
    private readonly Dictionary<string, Pool> _pools = options.Value.PerSilo.ToDictionary(p => p.Key, p => new Pool(p.Value), StringComparer.Ordinal);

    public bool Has(string pool) => _pools.ContainsKey(pool);

    /// <summary>Joins the line of <paramref name="pool"/>: granted at once when nobody waits and the permits are free.</summary>
    public SiloPoolPlace Enter(string pool, int count, int priority)
    {
        var p = _pools[pool];
        var place = new SiloPoolPlace(pool, count);
        lock (p)
        {
            if (p.Queue.Count == 0 && Fits(p, count))
            {
                p.InUse += count;
                place.Grant();
                return place;
            }

            p.Queue.Enqueue(place, priority);
            Renumber(p);
        }

        return place;
    }

    /// <summary>Leaves the line, or gives the permits back when they were granted. Idempotent.</summary>
    public void Leave(SiloPoolPlace place)
    {
        var p = _pools[place.Pool];
        lock (p)
        {
            if (place.IsGranted)
            {
                if (place.Release())
                {
                    p.InUse -= place.Count;
                }
            }
            else if (!p.Queue.Remove(w => w == place))
            {
                return;
            }

            while (p.Queue.Head is { } head && Fits(p, head.Count))
            {
                p.Queue.Dequeue();
                p.InUse += head.Count;
                head.Grant();
            }

            Renumber(p);
        }
    }

    // A need larger than the whole pool is granted alone rather than never.
    private static bool Fits(Pool p, int count) => p.InUse + count <= p.Capacity || p.InUse == 0;

    // Under the pool's lock, so positions are published in the order the line changed.
    private static void Renumber(Pool p)
    {
        var position = 0;
        foreach (var waiter in p.Queue.Items)
        {
            waiter.MoveTo(++position);
        }
    }

    private sealed class Pool(int capacity)
    {
        public int Capacity { get; } = capacity;

        public int InUse { get; set; }

        public PoolQueue<SiloPoolPlace> Queue { get; } = new();
    }
}
