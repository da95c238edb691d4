using System.IO.Pipelines;
using System.Text;
using AgentOrleans.Api.Executions;
using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Api;

/// <summary>
/// One SSE connection against an in-memory log and a pipe standing in for the response: catch-up,
/// live writes by the hub, gaps, slow clients and clients that leave.
/// </summary>
public sealed class SseConnectionTests : IDisposable
{
    private readonly List<ExecutionEvent> _log = [];
    private readonly Pipe _pipe = new(new PipeOptions(useSynchronizationContext: false));
    private readonly CancellationTokenSource _request = new();
    private readonly List<long> _logReadsAfter = [];
    private bool _aborted;

    public void Dispose() => _request.Dispose();

    private SseConnection Connection(long after, int bufferEvents = 100, Pipe? pipe = null)
    {
        var output = pipe ?? _pipe;
        return new SseConnection(output.Writer, ReadLogAsync, () =>
        {
            // What Kestrel does on abort: the client side is gone, and pending flushes end.
            _aborted = true;
            output.Reader.Complete();
        }, _ => { }, after, bufferEvents, _request.Token);
    }

    /// <summary>Runs the connection as the endpoint does: with the log page it read after <paramref name="after"/> once watching.</summary>
    private Task RunAsync(SseConnection connection, long after) =>
        connection.RunAsync(Page(after), TimeSpan.FromHours(1), _request.Token);

    private static ExecutionEvent Event(long seq, string type = EventTypes.NodeStarted) =>
        new(seq, type, DateTimeOffset.UtcNow, "ex-1", "n", 1, $"{{\"pad\":\"{new string('x', 200)}\"}}");

    private Task<EventPage> ReadLogAsync(long after, CancellationToken cancellationToken)
    {
        lock (_log)
        {
            _logReadsAfter.Add(after);
        }

        return Task.FromResult(Page(after));
    }

    private EventPage Page(long after)
    {
        lock (_log)
        {
            var events = _log.Where(e => e.Seq > after).Take(EventLogCursor.PageSize).ToList();
            var next = events.Count > 0 ? events[^1].Seq : after;
            return new EventPage(events, next, null, true, _log.Count > 0 && _log[^1].IsTerminal && next >= _log[^1].Seq);
        }
    }

    private void Log(params long[] seqs)
    {
        lock (_log)
        {
            _log.AddRange(seqs.Select(s => Event(s)));
        }
    }

    private static async Task LiveThroughAsync(SseConnection connection, long seq)
    {
        await Polling.UntilAsync(() => connection.LiveThrough == seq, Deadline, TimeSpan.FromMilliseconds(5));
        Assert.Equal(seq, connection.LiveThrough);
    }

    /// <summary>
    /// A connection live through seq 1, whose client reads nothing until the test does: a response buffer of
    /// 2 KB, so about eight events fit before flushes wait on the client; 5 more events of buffer after that.
    /// </summary>
    private async Task<(SseConnection Connection, Task Run, Pipe Response)> LiveOnASlowClientAsync()
    {
        var response = new Pipe(new PipeOptions(pauseWriterThreshold: 2048, resumeWriterThreshold: 1024, useSynchronizationContext: false));
        Log(1);
        var connection = Connection(after: 0, bufferEvents: 5, pipe: response);
        var run = RunAsync(connection, after: 0);
        await LiveThroughAsync(connection, 1);
        return (connection, run, response);
    }

    /// <summary>The seqs of the event frames written so far, in order.</summary>
    private Task<List<long>> WrittenSeqsAsync() => WrittenSeqsAsync(_pipe);

    private static async Task<List<long>> WrittenSeqsAsync(Pipe pipe)
    {
        await pipe.Writer.CompleteAsync();
        return await ReadSeqsAsync(pipe.Reader);
    }

    private static async Task<List<long>> ReadSeqsAsync(PipeReader reader)
    {
        using var text = new MemoryStream();
        await reader.CopyToAsync(text);
        return [.. Encoding.UTF8.GetString(text.ToArray()).Split('\n')
            .Where(line => line.StartsWith("id: ", StringComparison.Ordinal))
            .Select(line => long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture))];
    }

    [Fact]
    public async Task CatchesUpFromTheLogThenWritesLiveEventsOnceAndInOrderUntilTheTerminalOne()
    {
        Log(1, 2, 3);
        var connection = Connection(after: 0);
        var run = RunAsync(connection, after: 0);

        await LiveThroughAsync(connection, 3);
        connection.Deliver([Event(3), Event(4)]);
        connection.Deliver([Event(5)]);
        connection.Deliver([Event(4), Event(5), Event(6)]);
        connection.Deliver([Event(7, EventTypes.ExecutionCompleted)]);
        await run.WaitAsync(Deadline);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], await WrittenSeqsAsync());
        Assert.Null(connection.LiveThrough);
    }

    [Fact]
    public async Task TheFirstPageComesFromTheEndpointSoTheLogIsReadOnlyAfterIt()
    {
        Log(1, 2, 3);
        var connection = Connection(after: 0);
        var run = RunAsync(connection, after: 0);

        await LiveThroughAsync(connection, 3);
        connection.Deliver([Event(4, EventTypes.ExecutionCompleted)]);
        await run.WaitAsync(Deadline);

        Assert.Equal([1, 2, 3, 4], await WrittenSeqsAsync());
        lock (_log)
        {
            Assert.Equal([3L], _logReadsAfter);
        }
    }

    [Fact]
    public async Task AGapInTheLiveEventsIsFilledFromTheLog()
    {
        Log(1, 2);
        var connection = Connection(after: 1);
        var run = RunAsync(connection, after: 1);
        await LiveThroughAsync(connection, 2);

        // 3 and 4 never arrive live (a lost publish); 5 does.
        Log(3, 4, 5);
        connection.Deliver([Event(5)]);
        await LiveThroughAsync(connection, 5);
        lock (_log)
        {
            _log.Add(Event(6, EventTypes.ExecutionFailed));
        }

        connection.Deliver([Event(6, EventTypes.ExecutionFailed)]);
        await run.WaitAsync(Deadline);

        Assert.Equal([2, 3, 4, 5, 6], await WrittenSeqsAsync());
    }

    [Fact]
    public async Task AClientThatStopsReadingIsCutOffWhenItsBufferIsFullWithoutEverBlockingTheDeliverer()
    {
        var (connection, run, _) = await LiveOnASlowClientAsync();

        for (var seq = 2; seq <= 40 && !_aborted; seq++)
        {
            connection.Deliver([Event(seq)]);
        }

        await run.WaitAsync(Deadline);
        Assert.True(_aborted, "the connection of a client this far behind is aborted");
        Assert.True(connection.WasTooSlow);
        Assert.Null(connection.LiveThrough);
    }

    [Fact]
    public async Task RepeatsOfWrittenEventsTakeNoBufferRoomWhileTheClientIsBehindAndItCatchesUpOnce()
    {
        var (connection, run, slow) = await LiveOnASlowClientAsync();

        // Live until a flush waits on the client.
        var seq = 1L;
        while (connection.LiveThrough is not null && seq < 100)
        {
            connection.Deliver([Event(++seq)]);
        }

        // The log poll and the stream may hand over what was written again: far more repeats than the buffer holds.
        for (var i = 0; i < 20; i++)
        {
            connection.Deliver([Event(2), Event(3), Event(4)]);
        }

        connection.Deliver([Event(seq + 1, EventTypes.ExecutionCompleted)]);
        var read = ReadSeqsAsync(slow.Reader);
        await run.WaitAsync(Deadline);
        await slow.Writer.CompleteAsync();

        Assert.True(seq < 100, "a flush should have waited on the client");
        Assert.False(_aborted);
        Assert.False(connection.WasTooSlow);
        Assert.Equal(Enumerable.Range(1, (int)seq + 1).Select(i => (long)i), await read.WaitAsync(Deadline));
    }

    [Fact]
    public async Task AClientThatLeavesGetsNoFurtherWrites()
    {
        Log(1);
        var connection = Connection(after: 0);
        var run = RunAsync(connection, after: 0);
        await LiveThroughAsync(connection, 1);

        await _request.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Deadline));
        connection.Deliver([Event(2)]);

        Assert.Equal([1], await WrittenSeqsAsync());
        Assert.False(connection.WasTooSlow);
    }

    [Fact]
    public async Task AClientResumingAfterTheTerminalEventGetsNothingAndTheStreamEnds()
    {
        Log(1);
        lock (_log)
        {
            _log.Add(Event(2, EventTypes.ExecutionCompleted));
        }

        var connection = Connection(after: 2);
        await RunAsync(connection, after: 2).WaitAsync(Deadline);

        Assert.Empty(await WrittenSeqsAsync());
    }
}
