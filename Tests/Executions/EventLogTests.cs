using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Tests.Executions;

/// <summary>The log's paging rule on its own: after a seq, at most a limit, never past what is durable.</summary>
public sealed class EventLogTests
{
    private static readonly List<ExecutionEvent> Log = [.. Enumerable.Range(11, 10).Select(seq => new ExecutionEvent(seq, EventTypes.NodeProgress, DateTimeOffset.UnixEpoch, "ex", "n", 1, null))];

    [Theory]
    [InlineData(0L, 11L)]
    [InlineData(14L, 15L)]
    public void APageStartsAfterTheSeqAskedFor(long after, long firstSeq)
    {
        var (events, _, _) = EventLog.Page(Log, after, limit: 3, durableSeq: 20, trimmedThrough: 10);

        Assert.Equal([firstSeq, firstSeq + 1, firstSeq + 2], events.Select(e => e.Seq));
    }

    [Theory]
    [InlineData(20L)]
    [InlineData(2_147_483_648L)]
    [InlineData(long.MaxValue - 1)]
    public void AskingAfterTheEndOrBeyondAnyIntGivesAnEmptyPage(long after)
    {
        var (events, next, trimmed) = EventLog.Page(Log, after, limit: 100, durableSeq: 20, trimmedThrough: 10);

        Assert.Empty(events);
        Assert.Equal(after, next);
        Assert.Null(trimmed);
    }

    [Fact]
    public void APageNeverHoldsAnEventNotYetDurableAndSaysWhatWasTrimmed()
    {
        var (events, next, trimmed) = EventLog.Page(Log, after: 0, limit: 100, durableSeq: 13, trimmedThrough: 10);

        Assert.Equal([11L, 12L, 13L], events.Select(e => e.Seq));
        Assert.Equal(13, next);
        Assert.Equal(10, trimmed);
    }
}
