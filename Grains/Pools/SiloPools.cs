using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Pools;

/// <summary>
/// This silo's pools (<c>AgentOrleans:Pools:PerSilo</c>): permits live in memory, so they vanish
/// with the silo and need no lease. Waiters are served by priority, then in arrival order.
/// </summary>
public sealed class SiloPools(IOptions<PoolOptions> options)
{
    private readonly Dictionary<string, Pool> _pools = options.Value.PerSilo.ToDictionary(p => p.Key, p => new Pool(p.Value), StringComparer.Ordinal);

    public bool Has(string pool) => _pools.ContainsKey(pool);

    public IEnumerable<(string Pool, int InUse)> Usage => _pools.Select(p => (p.Key, p.Value.InUse));

    /// <summary>Waits for <paramref name="count"/> permits; <paramref name="waiting"/> hears the position while queued.</summary>
    public async Task AcquireAsync(string pool, int count, int priority, Action<int> waiting, CancellationToken cancellationToken)
    {
        var p = _pools[pool];
        var ticket = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = (ticket, count);
        lock (p)
        {
            if (p.Queue.Count == 0 && (p.InUse + count <= p.Capacity || p.InUse == 0))
            {
                p.InUse += count;
                return;
            }

            waiting(p.Queue.Enqueue(waiter, priority));
        }

        using var registration = cancellationToken.Register(() =>
        {
            bool removed;
            lock (p)
            {
                removed = p.Queue.Remove(w => w.ticket == ticket);
            }

            if (removed)
            {
                ticket.TrySetCanceled(cancellationToken);
            }
        });
        await ticket.Task;
    }

    public void Release(string pool, int count)
    {
        var p = _pools[pool];
        List<TaskCompletionSource> granted = [];
        lock (p)
        {
            p.InUse -= count;
            while (p.Queue.Head is { ticket: not null } head && (p.InUse + head.count <= p.Capacity || p.InUse == 0))
            {
                p.Queue.Dequeue();
                p.InUse += head.count;
                granted.Add(head.ticket);
            }
        }

        granted.ForEach(t => t.TrySetResult());
    }

    private sealed class Pool(int capacity)
    {
        public int Capacity { get; } = capacity;

        public int InUse { get; set; }

        public PoolQueue<(TaskCompletionSource ticket, int count)> Queue { get; } = new();
    }
}
