using System.Collections.Concurrent;
using System.IO.Pipelines;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// One SSE response of an execution's events with its children's (<c>?include=children</c>). Unlike
/// <see cref="SseConnection"/>, the request task writes everything: the hub's live events of every stream it follows
/// only land in a bounded inbox and wake it, and the <see cref="MergedEventReader"/> orders them, fills gaps from the
/// logs and opens each child as its <c>child.started</c> goes out (subscribing before the child's log is read). Each
/// event's <c>id:</c> is the merged position after it. When the inbox is full, what does not fit is dropped and every
/// stream reads its log again, so a slow client costs log reads at its own pace, never the run's memory.
/// </summary>
internal sealed partial class MergedSseConnection : IAsyncDisposable
{
    /// <summary>Events written between flushes while catching up.</summary>
    private const int FlushEvery = 64;

    private readonly PipeWriter _output;
    private readonly ExecutionEventHub _hub;
    private readonly Action<ExecutionEvent> _delivered;
    private readonly int _inboxCapacity;
    private readonly int _maxPositionLength;
    private readonly MergedEventReader _reader;
    private readonly ConcurrentQueue<(MergedStream Stream, ExecutionEvent Event)> _inbox = new();
    private readonly Dictionary<MergedStream, IAsyncDisposable> _watches = [];
    private readonly Lock _watchesGate = new();
    private int _inboxCount;
    private int _overflowed;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MergedSseConnection(
        PipeWriter output,
        string executionId,
        MergedPosition from,
        Func<string, long, int, CancellationToken, Task<EventPage>> readLog,
        ExecutionEventHub hub,
        Action<ExecutionEvent> delivered,
        int inboxCapacity,
        int maxPositionLength,
        ILogger logger)
    {
        _output = output;
        _hub = hub;
        _delivered = delivered;
        _inboxCapacity = inboxCapacity;
        _maxPositionLength = maxPositionLength;
        _reader = new MergedEventReader(executionId, from, readLog, WatchAsync, MergedEventReader.PageSize, logger);
    }

    /// <summary>The next event needed a position longer than allowed: the stream ended with a problem.</summary>
    public bool PositionTooLong { get; private set; }

    /// <summary>Subscribes to every stream of the position and reads their logs; false when the execution does not exist.</summary>
    public Task<bool> OpenAsync(CancellationToken cancellationToken) => _reader.FillAsync(cancellationToken);

    /// <summary>Streams until every stream has delivered its terminal event, the client leaves, or a position would be too long.</summary>
    public async Task RunAsync(TimeSpan heartbeatInterval, CancellationToken cancellationToken)
    {
        using var heartbeat = new PeriodicTimer(heartbeatInterval);
        Task<bool>? tick = null;
        SseFrames.WriteComment(_output, "connected");
        if ((await _output.FlushAsync(cancellationToken)).IsCompleted)
        {
            return;
        }

        while (true)
        {
            // Renewed before the inbox is drained: a delivery after the drain wakes the wait below.
            Volatile.Write(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (!await WriteWhatIsReadyAsync(cancellationToken))
            {
                return;
            }

            tick ??= heartbeat.WaitForNextTickAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(Volatile.Read(ref _wake).Task, tick) == tick)
            {
                await tick;
                tick = null;
                SseFrames.WriteComment(_output, "heartbeat");
                if ((await _output.FlushAsync(cancellationToken)).IsCompleted)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<IAsyncDisposable> watches;
        lock (_watchesGate)
        {
            watches = [.. _watches.Values];
            _watches.Clear();
        }

        foreach (var watch in watches)
        {
            await watch.DisposeAsync();
        }
    }

    /// <summary>Writes every event that can go out now, reading logs as needed; false when the stream is over.</summary>
    private async Task<bool> WriteWhatIsReadyAsync(CancellationToken cancellationToken)
    {
        var unflushed = 0;
        while (true)
        {
            DrainInbox();
            var next = _reader.TakeNext(_maxPositionLength, out var tooLong);
            if (tooLong)
            {
                PositionTooLong = true;
                SseFrames.WriteProblem(
                    _output,
                    StatusCodes.Status422UnprocessableEntity,
                    "Too many children running at once to resume exactly",
                    $"The position after the next event would be longer than the {_maxPositionLength} characters allowed (AgentOrleans:Api:MaxMergedEventIdLength); read the children's events on their own, or raise the limit.");
                await _output.FlushAsync(cancellationToken);
                return false;
            }

            if (next is not null)
            {
                SseFrames.WriteEvent(_output, next);
                _delivered(next.Event);
                if (++unflushed >= FlushEvery && !await FlushAsync())
                {
                    return false;
                }

                continue;
            }

            await UnwatchClosedAsync();
            if (_reader.Ended || !await FlushAsync())
            {
                return false;
            }

            if (!_reader.NeedsFill)
            {
                return true;
            }

            if (!await _reader.FillAsync(cancellationToken))
            {
                return false;
            }
        }

        async Task<bool> FlushAsync()
        {
            unflushed = 0;
            return !(await _output.FlushAsync(cancellationToken)).IsCompleted;
        }
    }

    private void DrainInbox()
    {
        while (_inbox.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _inboxCount);
            item.Stream.Offer(item.Event);
        }

        if (Interlocked.Exchange(ref _overflowed, 0) == 1)
        {
            _reader.ReadAllLogs();
        }
    }

    private async Task WatchAsync(MergedStream stream)
    {
        var watch = await _hub.WatchAsync(stream.ExecutionId, new StreamWatcher(this, stream));
        lock (_watchesGate)
        {
            _watches[stream] = watch;
        }
    }

    private async Task UnwatchClosedAsync()
    {
        foreach (var stream in _reader.TakeClosed())
        {
            IAsyncDisposable? watch;
            lock (_watchesGate)
            {
                _watches.Remove(stream, out watch);
            }

            if (watch is not null)
            {
                await watch.DisposeAsync();
            }
        }
    }

    /// <summary>From the hub's threads: into the inbox while there is room, and wake the request task.</summary>
    private void Receive(MergedStream stream, IReadOnlyList<ExecutionEvent> events)
    {
        foreach (var e in events)
        {
            if (Interlocked.Increment(ref _inboxCount) > _inboxCapacity)
            {
                // The log has it: every stream reads its log again.
                Interlocked.Decrement(ref _inboxCount);
                Volatile.Write(ref _overflowed, 1);
                break;
            }

            _inbox.Enqueue((stream, e));
        }

        Volatile.Read(ref _wake).TrySetResult();
    }

    private sealed class StreamWatcher(MergedSseConnection connection, MergedStream stream) : IExecutionEventWatcher
    {
        public long? LiveThrough => stream.LiveThrough;

        public void Deliver(IReadOnlyList<ExecutionEvent> events) => connection.Receive(stream, events);
    }
}
