namespace AgentOrleans.Grains.Pools;

/// <summary>
/// Permits of a cluster pool held by one holder: renewed every third of the lease duration until
/// disposed, then given back. A holder whose silo dies stops renewing, and the pool takes the
/// permits back when the lease expires.
/// </summary>
public sealed class ClusterLease : IAsyncDisposable
{
    private readonly ClusterPermits _permits;
    private readonly IPoolGrain _grain;
    private readonly CancellationTokenSource _renewals = new();
    private readonly Task _renewing;
    private int _disposed;

    internal ClusterLease(ClusterPermits permits, IPoolGrain grain, string pool, string holder, int count, int priority)
    {
        _permits = permits;
        _grain = grain;
        Pool = pool;
        Holder = holder;
        Count = count;
        _renewing = RenewAsync(priority);
    }

    public string Pool { get; }

    public string Holder { get; }

    public int Count { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _renewals.CancelAsync();
        await _renewing;
        _renewals.Dispose();
        _permits.Released(Pool, Count);
        await _permits.ReleaseAsync(_grain, Pool, Holder);
    }

    private async Task RenewAsync(int priority)
    {
        while (!_renewals.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_permits.RenewEvery, _permits.Time, _renewals.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await _permits.RenewAsync(_grain, Pool, Holder, Count, priority);
        }
    }
}
