using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Api.Executions;

/// <summary>The hub's side of the connection: live writes, and handing writing back when they cannot go on.</summary>
internal sealed partial class SseConnection
{
    public void Deliver(IReadOnlyList<ExecutionEvent> events)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            try
            {
                var next = _live ? WriteLive(events) : 0;
                if (_live || _closed)
                {
                    return;
                }

                for (; next < events.Count; next++)
                {
                    if (!_sequence.Hold(events[next]))
                    {
                        // Cut the connection itself: the client may be stuck in a socket write.
                        _tooSlow = true;
                        Close();
                        abort();
                        return;
                    }
                }

                Wake();
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
            {
                // The response is gone: the request task sees it and ends. A stream callback must not throw.
                Close();
            }
        }
    }

    /// <summary>Writes in-order events while live; returns the index of the first one left for the request task.</summary>
    private int WriteLive(IReadOnlyList<ExecutionEvent> events)
    {
        var i = 0;
        var wrote = false;
        for (; i < events.Count; i++)
        {
            var order = _sequence.Offer(events[i]);
            if (order == EventOrder.Duplicate)
            {
                continue;
            }

            if (order == EventOrder.Gap)
            {
                // The request task fills it from the log.
                _live = false;
                Wake();
                break;
            }

            Write(events[i]);
            wrote = true;
            if (_sequence.Ended)
            {
                Close();
                i = events.Count;
                break;
            }
        }

        if (wrote)
        {
            Flush(aborted);
        }

        return i;
    }

    /// <summary>Waits while the hub writes; sends a heartbeat comment when due. Returns the pending heartbeat tick.</summary>
    private async Task<Task<bool>?> WhileLiveAsync(PeriodicTimer heartbeat, Task<bool>? tick, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wake;
            lock (_gate)
            {
                if (!_live)
                {
                    return tick;
                }

                wake = _wake.Task;
            }

            // One tick is awaited at a time; it stays pending across wake-ups. It also ends the wait when the client leaves.
            tick ??= heartbeat.WaitForNextTickAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(wake, tick) == tick)
            {
                await tick;
                tick = null;
                lock (_gate)
                {
                    if (_live)
                    {
                        SseFrames.WriteComment(output, "heartbeat");
                        Flush(cancellationToken);
                    }
                }
            }
        }
    }

    /// <summary>Sends what is written. A flush the client cannot take now goes to the request task, which waits for it.</summary>
    private void Flush(CancellationToken cancellationToken)
    {
        var flush = output.FlushAsync(cancellationToken);
        if (!flush.IsCompletedSuccessfully)
        {
            _flushing = flush.AsTask();
            _live = false;
            Wake();
        }
        else if (flush.Result.IsCompleted)
        {
            // The client has gone.
            Close();
        }
    }
}
