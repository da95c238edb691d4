using AgentOrleans.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Pools;

/// <summary>
/// Takes permits of a cluster pool (<c>AgentOrleans:Pools:Cluster</c>) for one holder: asks the
/// pool's grain until granted, and hands back a <see cref="ClusterLease"/> that renews them until
/// disposed. Used by nodes' <c>needs</c> and by model calls of a provider bound to a pool.
/// A failing call to the pool grain (its silo just died, storage restarting) is retried with
/// backoff for as long as the caller waits: a transient fault must not fail the run.
/// </summary>
public sealed partial class ClusterPermits(IGrainFactory grains, IOptions<PoolOptions> options, AgentOrleansMetrics metrics, TimeProvider time, ILogger<ClusterPermits> logger)
{
    private readonly PoolOptions _options = options.Value;

    public bool Has(string pool) => _options.Cluster.ContainsKey(pool);

    /// <summary>
    /// Waits for <paramref name="count"/> permits of <paramref name="pool"/>; <paramref name="waiting"/>
    /// hears the position in line each time it is asked (every <see cref="PoolOptions.PollInterval"/>).
    /// </summary>
    public async Task<ClusterLease> AcquireAsync(string pool, string holder, int count, int priority, Action<int>? waiting, CancellationToken cancellationToken)
    {
        var grain = grains.GetGrain<IPoolGrain>(pool);
        var started = time.GetTimestamp();
        var failures = 0;
        try
        {
            while (true)
            {
                PoolTicket ticket;
                try
                {
                    ticket = await grain.AcquireAsync(holder, count, priority).WaitAsync(cancellationToken);
                    failures = 0;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
                {
                    var delay = Backoff(++failures);
                    LogAcquireRetrying(logger, pool, holder, failures, delay, ex);
                    await Task.Delay(delay, time, cancellationToken);
                    continue;
                }

                if (ticket.Granted)
                {
                    metrics.PoolAcquired(pool, count, time.GetElapsedTime(started));
                    return new ClusterLease(this, grain, pool, holder, count, priority);
                }

                waiting?.Invoke(ticket.Position);
                await Task.Delay(_options.PollInterval, time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Leave the line at once rather than when the pool notices the polling stopped; granted
            // in the meantime, the permits come back the same way.
            _ = ReleaseAsync(grain, pool, holder);
            throw;
        }
    }

    internal TimeSpan RenewEvery => _options.LeaseDuration / 3;

    internal TimeProvider Time => time;

    internal async Task RenewAsync(IPoolGrain grain, string pool, string holder, int count, int priority)
    {
        try
        {
            if (!await grain.RenewAsync(holder))
            {
                // The lease expired (the pool grain was unreachable for a whole lease): take the
                // permits again, or queue for them, so the pool counts this holder once more.
                LogLeaseLost(logger, pool, holder);
                await grain.AcquireAsync(holder, count, priority);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The next renewal tries again; the lease outlives two missed renewals.
            LogRenewFailed(logger, pool, holder, ex);
        }
    }

    /// <summary>
    /// Gives the permits back. When the pool grain cannot be reached, retries go on in the background
    /// while the lease would still hold the permits (after that the pool has expired them anyway), so
    /// the caller is not held up.
    /// </summary>
    internal async Task ReleaseAsync(IPoolGrain grain, string pool, string holder)
    {
        try
        {
            await grain.ReleaseAsync(holder);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReleaseRetrying(logger, pool, holder, 1, Backoff(1), ex);
            _ = Task.Run(() => RetryReleaseAsync(grain, pool, holder));
        }
    }

    private async Task RetryReleaseAsync(IPoolGrain grain, string pool, string holder)
    {
        var until = time.GetUtcNow() + _options.LeaseDuration;
        for (var failures = 1; ; failures++)
        {
            await Task.Delay(Backoff(failures), time);
            try
            {
                await grain.ReleaseAsync(holder);
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && time.GetUtcNow() < until)
            {
                LogReleaseRetrying(logger, pool, holder, failures + 1, Backoff(failures + 1), ex);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogReleaseAbandoned(logger, pool, holder, ex);
                return;
            }
        }
    }

    internal void Released(string pool, int count) => metrics.PoolReleased(pool, count);

    // From the poll interval, doubling, never longer than a renewal period: a waiter that stops asking
    // for a whole lease loses its place in line.
    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(_options.PollInterval.Ticks * (1L << Math.Min(failures - 1, 10)), Math.Max(_options.PollInterval.Ticks, RenewEvery.Ticks)));

    [LoggerMessage(1, LogLevel.Warning, "Pool {Pool}: acquiring for {Holder} failed ({Failures} in a row); retrying in {Delay}")]
    private static partial void LogAcquireRetrying(ILogger logger, string pool, string holder, int failures, TimeSpan delay, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Pool {Pool}: the lease of {Holder} expired before it was renewed; taking the permits again")]
    private static partial void LogLeaseLost(ILogger logger, string pool, string holder);

    [LoggerMessage(3, LogLevel.Warning, "Pool {Pool}: renewing the lease of {Holder} failed; the next renewal tries again")]
    private static partial void LogRenewFailed(ILogger logger, string pool, string holder, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Pool {Pool}: releasing the permits of {Holder} failed ({Failures} in a row); retrying in {Delay}")]
    private static partial void LogReleaseRetrying(ILogger logger, string pool, string holder, int failures, TimeSpan delay, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "Pool {Pool}: gave up releasing the permits of {Holder}; its lease has expired them")]
    private static partial void LogReleaseAbandoned(ILogger logger, string pool, string holder, Exception exception);
}
