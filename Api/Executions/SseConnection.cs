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
internal sealed partial class SseConnection(
    PipeWriter output,
    Func<long, CancellationToken, Task<EventPage>> readLog,
    Action abort,
    Action<ExecutionEvent> delivered,
    long after,
    int bufferEvents,
    CancellationToken aborted) : IExecutionEventWatcher
{
    private readonly Lock _gate = new();
    private readonly EventSequencer _sequence = new(after, bufferEvents);
    private bool _live;
    private bool _closed;
    private bool _tooSlow;
    private Task<FlushResult>? _flushing;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What the request task does after a drain: wait while the hub writes, fill a gap, wait for a flush, or end.</summary>
    private enum Handover
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
                return _live ? _sequence.Last : null;
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

    /// <summary>
    /// Streams the events after <c>after</c>, starting with <paramref name="firstPage"/> (the log page the
    /// caller read after it, once watching), until the terminal event, the client leaves, or it is cut off.
    /// </summary>
    public async Task RunAsync(EventPage firstPage, TimeSpan heartbeatInterval, CancellationToken cancellationToken)
    {
        using var heartbeat = new PeriodicTimer(heartbeatInterval);
        Task<bool>? tick = null;
        try
        {
            SseFrames.WriteComment(output, "connected");
            if ((await output.FlushAsync(cancellationToken)).IsCompleted)
            {
                return;
            }

            if (!await CatchUpFromLogAsync(firstPage, cancellationToken))
            {
                return;
            }

            while (true)
            {
                var (handover, flushing) = DrainAndGoLive(cancellationToken);
                if (handover == Handover.Closed)
                {
                    await output.FlushAsync(cancellationToken);
                    return;
                }

                if (handover == Handover.Gap)
                {
                    if (!await CatchUpFromLogAsync(null, cancellationToken))
                    {
                        return;
                    }

                    continue;
                }

                if (handover == Handover.Live)
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

    /// <summary>
    /// Writes the log page by page after what was written, starting with <paramref name="page"/> when the
    /// caller has it; false when the stream is over.
    /// </summary>
    private async Task<bool> CatchUpFromLogAsync(EventPage? page, CancellationToken cancellationToken)
    {
        long from;
        lock (_gate)
        {
            from = _sequence.Last;
        }

        while (true)
        {
            page ??= await readLog(from, cancellationToken);
            List<ExecutionEvent> events;
            bool ended;
            lock (_gate)
            {
                events = _sequence.TakePage(page);
                ended = _sequence.Ended;
                from = _sequence.Last;
            }

            page = null;
            foreach (var e in events)
            {
                Write(e);
            }

            // Also sends what a drain wrote before it found the gap this read fills.
            if ((await output.FlushAsync(cancellationToken)).IsCompleted || ended)
            {
                return false;
            }

            if (events.Count == 0)
            {
                return true;
            }
        }
    }

    /// <summary>Writes the held events that continue the sequence and, when nothing is missing or held, hands writing to the hub.</summary>
    private (Handover Handover, Task<FlushResult>? Flushing) DrainAndGoLive(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return (Handover.Closed, null);
            }

            var wrote = false;
            EventOrder order;
            while ((order = _sequence.TakeHeld(out var e)) == EventOrder.Next)
            {
                Write(e!);
                wrote = true;
                if (_sequence.Ended)
                {
                    Close();
                    return (Handover.Closed, null);
                }
            }

            if (order == EventOrder.Gap)
            {
                // The log has what the stream skipped, and everything after it.
                return (Handover.Gap, null);
            }

            _live = true;
            if (wrote)
            {
                Flush(cancellationToken);
            }

            return _closed ? (Handover.Closed, null) : _live ? (Handover.Live, null) : (Handover.Flushing, TakeFlushingUnderGate());
        }
    }

    private void Write(ExecutionEvent e)
    {
        SseFrames.WriteEvent(output, e);
        delivered(e);
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
