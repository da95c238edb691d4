using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Tests.Retention;

/// <summary>Age-based trimming of an event log, beside the count bound.</summary>
public sealed class EventLogAgeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<ExecutionEvent> Log(params int[] daysAfterT0) =>
        [.. daysAfterT0.Select((d, i) => new ExecutionEvent(i + 1, EventTypes.NodeStarted, T0.AddDays(d), "e1", "a", 1, null))];

    [Fact]
    public void EventsOlderThanTheCutoffAreTrimmedAndTheTrimmedThroughSeqSaysSo()
    {
        var events = Log(0, 1, 10, 40);

        var through = EventLog.Trim(events, 1000, 0, T0.AddDays(5));

        Assert.Equal(2, through);
        Assert.Equal([3L, 4L], events.Select(e => e.Seq));
    }

    [Fact]
    public void TheNewestEventStaysHoweverOld()
    {
        var events = Log(0, 1);

        Assert.Equal(1, EventLog.Trim(events, 1000, 0, T0.AddDays(30)));
        Assert.Equal([2L], events.Select(e => e.Seq));
    }

    [Fact]
    public void TheCountBoundStillAppliesAndNoCutoffTrimsByCountOnly()
    {
        var events = Log(0, 1, 2, 3);

        Assert.Equal(2, EventLog.Trim(events, 2, 0, null));
        Assert.Equal([3L, 4L], events.Select(e => e.Seq));
        Assert.Equal(3, EventLog.Trim(events, 2, 2, T0.AddDays(2.5)));
        Assert.Equal([4L], events.Select(e => e.Seq));
    }
}
