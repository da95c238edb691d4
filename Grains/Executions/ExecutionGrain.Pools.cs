using AgentOrleans.Grains.Pools;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Resource pools: before an attempt, the node's <c>needs</c> are taken in name order (one order
/// everywhere, so two nodes cannot each hold what the other waits for), and they are given back
/// when the attempt ends however it ends. Cluster permits are leases renewed while the attempt runs.
/// </summary>
internal sealed partial class ExecutionGrain
{
    private async Task<AttemptOutcome> RunWithPermitsAsync(CompiledNode node, bool continuesAfterWait, CancellationToken stop)
    {
        if (node.Needs.Count == 0)
        {
            return await _attempts!.RunAsync(node, continuesAfterWait, stop);
        }

        var silo = services.GetRequiredService<SiloPools>();
        var cluster = services.GetRequiredService<ClusterPermits>();
        var waitStarted = time.GetTimestamp();
        var queued = false;
        List<Func<ValueTask>> releases = [];
        try
        {
            foreach (var (pool, count) in node.Needs.OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                var poolWaitStarted = time.GetTimestamp();
                if (silo.Has(pool))
                {
                    var place = silo.Enter(pool, count, Execution.Priority);
                    var held = false;
                    releases.Add(() =>
                    {
                        if (held)
                        {
                            metrics.PoolReleased(pool, count);
                        }

                        silo.Leave(place);
                        return ValueTask.CompletedTask;
                    });
                    queued |= await WaitInLineAsync(place, stop);
                    held = true;
                    metrics.PoolAcquired(pool, count, time.GetElapsedTime(poolWaitStarted));
                }
                else if (cluster.Has(pool))
                {
                    var lease = await cluster.AcquireAsync(pool, _transitions.IdempotencyKey(node.Id), count, Execution.Priority, position =>
                    {
                        ShowWaiting(pool, position);
                        queued = true;
                    }, stop);
                    releases.Add(lease.DisposeAsync);
                }

                ShowWaiting(null, null);
            }

            if (queued)
            {
                await StartAttemptClockAfterWaitAsync(time.GetElapsedTime(waitStarted));
            }

            return await _attempts!.RunAsync(node, continuesAfterWait, stop);
        }
        catch (OperationCanceledException ex) when (stop.IsCancellationRequested)
        {
            return AttemptOutcomes.FromException(ex, node, stopping: true, nodeTimedOut: false);
        }
        finally
        {
            ShowWaiting(null, null);
            foreach (var release in Enumerable.Reverse(releases))
            {
                await release();
            }
        }
    }

    /// <summary>
    /// What status shows of a wait for permits; the queued gauge counts the executions waiting, since
    /// nothing else holds a run back once it is admitted.
    /// </summary>
    private void ShowWaiting(string? pool, int? position)
    {
        if ((_waitingForPool is null) != (pool is null) && !Execution.Status.IsTerminal())
        {
            metrics.Track(ExecutionId, Execution.WorkflowId, pool is null ? ExecutionStatus.Running : ExecutionStatus.Queued);
        }

        (_waitingForPool, _poolPosition) = (pool, position);
    }

    /// <summary>Waits for a per-silo grant, keeping the status' position current; true when it had to queue.</summary>
    private async Task<bool> WaitInLineAsync(SiloPoolPlace place, CancellationToken stop)
    {
        var queued = false;
        while (!place.IsGranted)
        {
            queued = true;
            var moved = place.Moved;
            ShowWaiting(place.Pool, place.Position);
            await Task.WhenAny(place.Granted, moved).WaitAsync(stop);
        }

        return queued;
    }

    /// <summary>
    /// The node's timeout (and a delay step's duration) count from when the permits were granted, not
    /// from when the node started waiting for them. Made durable at once, so a resume on another silo
    /// does not count the wait either.
    /// </summary>
    private async Task StartAttemptClockAfterWaitAsync(TimeSpan waited)
    {
        _transitions.WaitedForPools(waited);
        await CommitAsync();
    }
}
