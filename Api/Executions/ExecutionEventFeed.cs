using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// The watchers of one execution in this Api process. Live events go to all of them at once. When the
/// stream has been quiet for the poll interval, the feed reads the durable log once for all of them, so
/// an event whose publish was lost still arrives — one log read per execution, however many watch it.
/// </summary>
internal sealed class ExecutionEventFeed : IAsyncDisposable
{
    private readonly IExecutionGrain _execution;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;

    // Replaced, never mutated, so deliveries read it without a lock; changed under the hub's lock.
    private volatile IExecutionEventWatcher[] _watchers = [];
    private long _lastDeliveryTimestamp;

    public ExecutionEventFeed(IExecutionGrain execution, TimeSpan pollInterval, TimeProvider time)
    {
        _execution = execution;
        _pollInterval = pollInterval;
        _time = time;
        _lastDeliveryTimestamp = time.GetTimestamp();
        _polling = PollWhileQuietAsync(_stop.Token);
    }

    public void Add(IExecutionEventWatcher watcher) => _watchers = [.. _watchers, watcher];

    /// <summary>Removes a watcher; true when it was the last.</summary>
    public bool Remove(IExecutionEventWatcher watcher)
    {
        _watchers = [.. _watchers.Where(w => w != watcher)];
        return _watchers.Length == 0;
    }

    public void Deliver(IReadOnlyList<ExecutionEvent> events)
    {
        Volatile.Write(ref _lastDeliveryTimestamp, _time.GetTimestamp());
        foreach (var watcher in _watchers)
        {
            watcher.Deliver(events);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _polling;
        _stop.Dispose();
    }

    private async Task PollWhileQuietAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_pollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (_time.GetElapsedTime(Volatile.Read(ref _lastDeliveryTimestamp)) < _pollInterval
                    || _watchers.Select(w => w.LiveThrough).Min() is not { } from)
                {
                    // Events are flowing, or every watcher is reading the log itself.
                    continue;
                }

                try
                {
                    var page = await _execution.GetEventsAsync(from, EventLogCursor.PageSize).WaitAsync(cancellationToken);
                    if (page.Events.Count > 0)
                    {
                        Deliver(page.Events);
                    }
                }
                catch (Exception ex) when (ex is OrleansException or TimeoutException)
                {
                    // The cluster is unreachable for now; the next quiet tick tries again.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The last watcher left.
        }
    }
}
