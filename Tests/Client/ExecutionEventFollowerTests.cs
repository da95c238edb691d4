using System.Threading.Channels;
using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Client;

/// <summary>The client's exactly-once follower against an in-memory log and live channel.</summary>
public sealed class ExecutionEventFollowerTests
{
    private readonly List<ExecutionEvent> _log = [];
    private readonly Channel<ExecutionEvent> _live = Channel.CreateUnbounded<ExecutionEvent>();

    private static ExecutionEvent Event(long seq, string type = EventTypes.NodeStarted) =>
        new(seq, type, DateTimeOffset.UnixEpoch, "ex-1", "n", 1, null);

    private Task<EventPage> ReadLogAsync(long after, CancellationToken cancellationToken)
    {
        lock (_log)
        {
            var events = _log.Where(e => e.Seq > after).ToList();
            var next = events.Count > 0 ? events[^1].Seq : after;
            return Task.FromResult(new EventPage(events, next, null, true, _log.Count > 0 && _log[^1].IsTerminal && next >= _log[^1].Seq));
        }
    }

    private void Log(params ExecutionEvent[] events)
    {
        lock (_log)
        {
            _log.AddRange(events);
        }
    }

    private async Task<List<long>> FollowAsync(TimeSpan logPollInterval, Action afterFirst)
    {
        var seqs = new List<long>();
        using var deadline = new CancellationTokenSource(Deadline);
        await foreach (var e in ExecutionEventFollower.FollowAsync(ReadLogAsync, _live.Reader, after: 0, logPollInterval, deadline.Token))
        {
            seqs.Add(e.Seq);
            if (seqs.Count == 1)
            {
                afterFirst();
            }
        }

        return seqs;
    }

    [Fact]
    public async Task LiveRepeatsAreDroppedAndALiveGapIsFilledFromTheLog()
    {
        Log(Event(1), Event(2));
        foreach (var seq in new long[] { 2, 3, 5 })
        {
            _live.Writer.TryWrite(Event(seq));
        }

        // The catch-up is over once the first event is out: 3, 4 and 5 reach the log after it.
        var seqs = await FollowAsync(TimeSpan.FromHours(1), () => Log(Event(3), Event(4), Event(5, EventTypes.ExecutionCompleted)));

        Assert.Equal([1L, 2L, 3L, 4L, 5L], seqs);
    }

    [Fact]
    public async Task AQuietStreamSendsTheFollowerBackToTheLog()
    {
        Log(Event(1));

        var seqs = await FollowAsync(TimeSpan.FromMilliseconds(20), () => Log(Event(2), Event(3, EventTypes.ExecutionFailed)));

        Assert.Equal([1L, 2L, 3L], seqs);
    }
}
