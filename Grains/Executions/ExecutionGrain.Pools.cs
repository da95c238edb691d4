using AgentOrleans.Grains.Pools;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Resource pools: before an attempt, the node's <c>needs</c> are taken in name order (one order
/// everywhere, so two nodes cannot each hold what the other waits for), and they are given back
/// when the attempt ends however it ends. Cluster permits are leases this loop renews.
/// </summary>
internal sealed partial class ExecutionGrain
{
    private string? _waitingForPool;
    private int? _poolPosition;

    private async Task<AttemptOutcome> RunWithPermitsAsync(CompiledNode node, CancellationToken stop)
    {
        if (node.Needs.Count == 0)
        {
            return await RunAttemptAsync(node, stop);
        }

        var pools = services.GetRequiredService<IOptions<PoolOptions>>().Value;
        var silo = services.GetRequiredService<SiloPools>();
        var holder = IdempotencyKey(node.Id);
        using var renewals = CancellationTokenSource.CreateLinkedTokenSource(stop);
        List<Func<Task>> releases = [];
        try
        {
            foreach (var (pool, count) in node.Needs.OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                var waitStarted = time.GetTimestamp();
                if (silo.Has(pool))
                {
                    await silo.AcquireAsync(pool, count, S.Priority, position => (_waitingForPool, _poolPosition) = (pool, position), stop);
                    releases.Add(() =>
                    {
                        silo.Release(pool, count);
                        return Task.CompletedTask;
                    });
                }
                else if (pools.Cluster.ContainsKey(pool))
                {
                    var grain = GrainFactory.GetGrain<IPoolGrain>(pool);
                    releases.Add(() => grain.ReleaseAsync(holder));
                    await AcquireClusterPermitsAsync(grain, pool, holder, count, pools.PollInterval, stop);
                    _ = RenewAsync(grain, holder, pools.LeaseDuration / 3, renewals.Token);
                }
                else
                {
                    continue;
                }

                metrics.PoolAcquired(pool, count, time.GetElapsedTime(waitStarted));
                releases.Add(() =>
                {
                    metrics.PoolReleased(pool, count);
                    return Task.CompletedTask;
                });
                (_waitingForPool, _poolPosition) = (null, null);
            }

            return await RunAttemptAsync(node, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return new AttemptOutcome.Stopped(Abandoned: false);
        }
        finally
        {
            (_waitingForPool, _poolPosition) = (null, null);
            await renewals.CancelAsync();
            foreach (var release in releases)
            {
                await release().ContinueWith(_ => { }, TaskScheduler.Current);
            }
        }
    }

    private async Task AcquireClusterPermitsAsync(IPoolGrain grain, string pool, string holder, int count, TimeSpan poll, CancellationToken stop)
    {
        while (true)
        {
            var ticket = await grain.AcquireAsync(holder, count, S.Priority);
            if (ticket.Granted)
            {
                return;
            }

            (_waitingForPool, _poolPosition) = (pool, ticket.Position);
            await Task.Delay(poll, time, stop);
        }
    }

    private async Task RenewAsync(IPoolGrain grain, string holder, TimeSpan every, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(every, time, stop).ContinueWith(_ => { }, TaskScheduler.Current);
            if (!stop.IsCancellationRequested)
            {
                await grain.RenewAsync(holder).ContinueWith(_ => { }, TaskScheduler.Current);
            }
        }
    }
}
