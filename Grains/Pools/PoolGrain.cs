using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Tenants;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Pools;

/// <summary>
/// One cluster pool. Holders are persisted with their lease expiry, so permits survive this
/// activation moving; a holder whose silo died stops renewing and its permits come back when its
/// lease expires. Waiters live in memory: each polls, which also proves it is alive. Waiters are
/// served fairly between tenants (<see cref="PoolQueue{T}"/>, weighted by each tenant's <c>PoolWeight</c>);
/// a waiter's tenant is its holder's execution's, whose key starts the holder id.
/// </summary>
internal sealed class PoolGrain(
    [PersistentState("pool", StorageNames.Grains)] IPersistentState<PoolState> state,
    IOptions<PoolOptions> options,
    IOptions<TenantQuotaOptions> quotas,
    TimeProvider time) : Grain, IPoolGrain
{
    private readonly PoolOptions _options = options.Value;
    private readonly PoolQueue<Waiter> _queue = new();

    private int Capacity => _options.Cluster.GetValueOrDefault(this.GetPrimaryKeyString(), int.MaxValue);

    private Dictionary<string, PoolLease> Holders => state.State.Holders;

    private int InUse => Holders.Values.Sum(h => h.Count);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Renewals are not written, so a stored expiry may be long past for a holder that is alive and
        // renewing. Each holder gets one fresh lease from now: a live one renews within it, a dead one
        // (it stopped renewing with its silo) loses its permits when it ends.
        var until = time.GetUtcNow() + _options.LeaseDuration;
        foreach (var (holder, lease) in Holders.ToList())
        {
            Holders[holder] = lease with { ExpiresAt = until > lease.ExpiresAt ? until : lease.ExpiresAt };
        }

        return Task.CompletedTask;
    }

    public async Task<PoolTicket> AcquireAsync(string holderId, int count, int priority)
    {
        var changed = Expire();
        var now = time.GetUtcNow();
        if (Holders.TryGetValue(holderId, out var held))
        {
            Holders[holderId] = held with { ExpiresAt = now + _options.LeaseDuration };
            return new PoolTicket(true, 0, Capacity);
        }

        if (_queue.Items.FirstOrDefault(w => w.HolderId == holderId) is { } waiting)
        {
            waiting.LastSeen = now;
        }
        else
        {
            var tenant = TenantKey.TenantOf(holderId);
            _queue.Enqueue(new Waiter(holderId, count) { LastSeen = now }, priority, tenant, count, quotas.Value.For(tenant).PoolWeight);
        }

        changed |= GrantFromHead();
        if (changed)
        {
            await state.WriteStateAsync();
        }

        return Holders.ContainsKey(holderId)
            ? new PoolTicket(true, 0, Capacity)
            : new PoolTicket(false, _queue.PositionOf(w => w.HolderId == holderId), Capacity);
    }

    public Task<bool> RenewAsync(string holderId)
    {
        Expire();
        if (!Holders.TryGetValue(holderId, out var lease))
        {
            return Task.FromResult(false);
        }

        // Renewals are not written (one write per renewal per holder would be the pool's main cost): after a
        // move, activation extends every stored lease by one lease, which a live holder renews in time.
        Holders[holderId] = lease with { ExpiresAt = time.GetUtcNow() + _options.LeaseDuration };
        return Task.FromResult(true);
    }

    public async Task ReleaseAsync(string holderId)
    {
        var released = Holders.Remove(holderId);
        _queue.Remove(w => w.HolderId == holderId);
        if (released | GrantFromHead() | Expire())
        {
            await state.WriteStateAsync();
        }
    }

    public Task<PoolUsage> GetUsageAsync()
    {
        Expire();
        return Task.FromResult(new PoolUsage(Capacity, InUse, _queue.Count) { Holders = [.. Holders.Keys] });
    }

    /// <summary>Drops holders whose lease expired and waiters that stopped asking.</summary>
    private bool Expire()
    {
        var now = time.GetUtcNow();
        var expired = Holders.Where(h => h.Value.ExpiresAt < now).Select(h => h.Key).ToList();
        expired.ForEach(id => Holders.Remove(id));
        var gone = _queue.Remove(w => w.LastSeen + _options.LeaseDuration < now);
        return expired.Count > 0 || gone;
    }

    private bool GrantFromHead()
    {
        var granted = false;

        // A need larger than the whole pool is granted alone rather than never.
        while (_queue.Head is { } head && (InUse + head.Count <= Capacity || InUse == 0))
        {
            _queue.Dequeue();
            Holders[head.HolderId] = new PoolLease(head.Count, time.GetUtcNow() + _options.LeaseDuration);
            granted = true;
        }

        return granted;
    }

    private sealed class Waiter(string holderId, int count)
    {
        public string HolderId { get; } = holderId;

        public int Count { get; } = count;

        public DateTimeOffset LastSeen { get; set; }
    }
}
