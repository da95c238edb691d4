using System.IO.Pipelines;
using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// One SSE response. It first catches up from the durable log, written by the request's own task.
/// Once caught up it is <em>live</em>: the hub writes each checkpoint's events straight into the
/// response and flushes, so a thousand clients of one execution cost one pass over them per
/// checkpoint, not a thousand task wake-ups. When live writing cannot go on — a gap in the stream,
/// or a flush the client is too slow to take — the request task takes over again: it waits for the
/// client while the hub buffers what arrives (bounded), fills gaps from the log, and goes live again.
/// A client that falls further behind than its buffer is cut off; it resumes with Last-Event-ID.
/// </summary>
/// <remarks>
/// Exactly one party writes at a time: the hub while <see cref="_live"/> (under <see cref="_gate"/>),
/// the request task otherwise. Every change of hands happens under the gate.
/// </remarks>
internal sealed class SseConnection(
    PipeWriter output,
    Func<long, CancellationToken, Task<EventPage>> readLog,
    Action abort,
    Action<ExecutionEvent> delivered,
    int bufferEvents,
    CancellationToken aborted) : IExecutionEventWatcher
{
    private readonly Lock _gate = new();
    private readonly Queue<ExecutionEvent> _pending = new();
    private long _last;
    private bool _live;
    private bool _closed;
    private bool _tooSlow;
    private Task<FlushResult>? _flushing;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private enum Step
    {
        Live,
        Gap,
        Flushing,
        Closed,
    }

    public long? LiveThrough
    {
        get
        {
            lock (_gate)
            {
                return _live ? _last : null;
            }
        }
    }

    /// <summary>True when the connection ended because the client fell further behind than its buffer.</summary>
    public bool WasTooSlow
    {
        get
        {
            lock (_gate)
            {
                return _tooSlow;
            }
        }
    }

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
                    if (events[next].Seq <= _last)
                    {
                        // Already written (a repeat, or caught up from the log): it must not take buffer room.
                        continue;
                    }

                    if (_pending.Count >= bufferEvents)
                    {
                        // Cut the connection itself: the client may be stuck in a socket write.
                        _tooSlow = true;
                        Close();
                        abort();
                        return;
                    }

                    _pending.Enqueue(events[next]);
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

    /// <summary>Streams events after <paramref name="after"/> until the terminal event, the client leaves, or it is cut off.</summary>
    public async Task RunAsync(long after, TimeSpan heartbeatInterval, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _last = after;
        }

        using var heartbeat = new PeriodicTimer(heartbeatInterval);
        Task<bool>? tick = null;
        try
        {
            SseFrames.WriteComment(output, "connected");
            if ((await output.FlushAsync(cancellationToken)).IsCompleted)
            {
                return;
            }

            var readLogNext = true;
            while (true)
            {
                if (readLogNext && !await CatchUpFromLogAsync(cancellationToken))
                {
                    return;
                }

                var (step, flushing) = DrainAndGoLive(cancellationToken);
                readLogNext = step == Step.Gap;
                if (step == Step.Closed)
                {
                    await output.FlushAsync(cancellationToken);
                    return;
                }

                if (step == Step.Live)
                {
                    tick = await WhileLiveAsync(heartbeat, tick, cancellationToken);
                    flushing = TakeFlushing();
                }

                // Wait for the client to take what was sent before writing more.
                if (flushing is not null && (await flushing).IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            Task<FlushResult>? flushing;
            lock (_gate)
            {
                Close();
                flushing = _flushing;
            }

            // A flush the hub started must end before the response does. One still waiting on the client
            // (the stream ended some other way) ends only with the connection.
            if (flushing is not null)
            {
                if (!flushing.IsCompleted)
                {
                    abort();
                }

                await flushing.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
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
            var e = events[i];
            if (e.Seq <= _last)
            {
                continue;
            }

            if (e.Seq != _last + 1)
            {
                // A gap: the request task fills it from the log.
                _live = false;
                Wake();
                break;
            }

            Write(e);
            wrote = true;
            if (e.IsTerminal)
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

    /// <summary>Reads the log after what was written, writing page by page; false when the stream is over.</summary>
    private async Task<bool> CatchUpFromLogAsync(CancellationToken cancellationToken)
    {
        var log = new EventLogCursor(readLog, Volatile.Read(ref _last));
        while (true)
        {
            var page = await log.ReadPageAsync(cancellationToken);
            foreach (var e in page)
            {
                SseFrames.WriteEvent(output, e);
                delivered(e);
            }

            lock (_gate)
            {
                _last = log.Last;
            }

            // Also sends what a drain wrote before it found the gap this read fills.
            if ((await output.FlushAsync(cancellationToken)).IsCompleted)
            {
                return false;
            }

            if (log.Ended)
            {
                return false;
            }

            if (page.Count == 0)
            {
                return true;
            }
        }
    }

    /// <summary>Writes the buffered events that continue the sequence and, when nothing is missing or pending, hands writing to the hub.</summary>
    private (Step Step, Task<FlushResult>? Flushing) DrainAndGoLive(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return (Step.Closed, null);
            }

            var wrote = false;
            while (_pending.TryDequeue(out var e))
            {
                if (e.Seq <= _last)
                {
                    continue;
                }

                if (e.Seq != _last + 1)
                {
                    // The log has what the stream skipped, and everything after it.
                    _pending.Clear();
                    return (Step.Gap, null);
                }

                Write(e);
                wrote = true;
                if (e.IsTerminal)
                {
                    Close();
                    return (Step.Closed, null);
                }
            }

            _live = true;
            if (wrote)
            {
                Flush(cancellationToken);
            }

            return _closed ? (Step.Closed, null) : _live ? (Step.Live, null) : (Step.Flushing, TakeFlushingUnderGate());
        }
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

    private void Write(ExecutionEvent e)
    {
        SseFrames.WriteEvent(output, e);
        _last = e.Seq;
        delivered(e);
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

    private Task<FlushResult>? TakeFlushing()
    {
        lock (_gate)
        {
            return TakeFlushingUnderGate();
        }
    }

    private Task<FlushResult>? TakeFlushingUnderGate()
    {
        var flushing = _flushing;
        _flushing = null;
        return flushing;
    }

    private void Close()
    {
        _closed = true;
        _live = false;
        Wake();
    }

    private void Wake()
    {
        var woken = _wake;
        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        woken.TrySetResult();
    }
}
