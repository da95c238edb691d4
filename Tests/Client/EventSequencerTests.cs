using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Tests.Client;

/// <summary>The ordering rule every reader of an execution's events applies: duplicates, order, gaps, the hold and the end.</summary>
public sealed class EventSequencerTests
{
    private static ExecutionEvent Event(long seq, string type = EventTypes.NodeStarted) =>
        new(seq, type, DateTimeOffset.UnixEpoch, "ex-1", "n", 1, null);

    private static EventPage Page(long? trimmedThrough, bool isTerminal, params ExecutionEvent[] events) =>
        new(events, events.Length > 0 ? events[^1].Seq : 0, trimmedThrough, true, isTerminal);

    [Fact]
    public void EventsInOrderAreTakenOneByOne()
    {
        var sequence = new EventSequencer(after: 2);

        Assert.Equal(EventOrder.Next, sequence.Offer(Event(3)));
        Assert.Equal(EventOrder.Next, sequence.Offer(Event(4)));
        Assert.Equal(4, sequence.Last);
        Assert.False(sequence.Ended);
    }

    [Fact]
    public void AnEventAtOrBeforeTheLastOneIsADuplicateAndChangesNothing()
    {
        var sequence = new EventSequencer(after: 5);

        Assert.Equal(EventOrder.Duplicate, sequence.Offer(Event(5)));
        Assert.Equal(EventOrder.Duplicate, sequence.Offer(Event(1)));
        Assert.Equal(5, sequence.Last);
    }

    [Fact]
    public void AnEventPastTheNextOneIsAGapAndIsNotTaken()
    {
        var sequence = new EventSequencer(after: 1);

        Assert.Equal(EventOrder.Gap, sequence.Offer(Event(4)));
        Assert.Equal(1, sequence.Last);
        Assert.Equal(EventOrder.Next, sequence.Offer(Event(2)));
    }

    [Theory]
    [InlineData(3, 3, EventOrder.Duplicate)]
    [InlineData(3, 2, EventOrder.Duplicate)]
    [InlineData(3, 4, EventOrder.Next)]
    [InlineData(3, 6, EventOrder.Gap)]
    public void TheRuleOnALastSeqAloneIsTheSame(long last, long seq, EventOrder expected)
    {
        Assert.Equal(expected, EventSequencer.Order(last, seq));
        Assert.Equal(expected, new EventSequencer(last).Classify(Event(seq)));
    }

    [Fact]
    public void NothingIsTakenAfterTheTerminalEvent()
    {
        var sequence = new EventSequencer(after: 0);

        Assert.Equal(EventOrder.Next, sequence.Offer(Event(1, EventTypes.ExecutionCompleted)));
        Assert.True(sequence.Ended);
        Assert.Equal(EventOrder.Duplicate, sequence.Offer(Event(2)));
        Assert.False(sequence.TakeInOrder(Event(3)));
        Assert.Equal(1, sequence.Last);
    }

    [Fact]
    public void AnInOrderSourceIsTakenAcrossWhatItSkippedButNeverTwice()
    {
        var sequence = new EventSequencer(after: 2);

        Assert.True(sequence.TakeInOrder(Event(7)));
        Assert.False(sequence.TakeInOrder(Event(7)));
        Assert.False(sequence.TakeInOrder(Event(5)));
        Assert.Equal(7, sequence.Last);
    }

    [Fact]
    public void ALogPageMovesPastWhatWasTrimmedAndYieldsOnlyNewEvents()
    {
        var sequence = new EventSequencer(after: 2);

        var taken = sequence.TakePage(Page(trimmedThrough: 4, isTerminal: false, Event(4), Event(5), Event(6)));

        Assert.Equal([5L, 6L], taken.Select(e => e.Seq));
        Assert.Equal(6, sequence.Last);
        Assert.Empty(sequence.TakePage(Page(trimmedThrough: null, isTerminal: false, Event(6))));
    }

    [Fact]
    public void ALogPageThatReachesTheEndOfAnEndedSequenceEndsItEvenWhenEmpty()
    {
        var resuming = new EventSequencer(after: 9);
        Assert.Empty(resuming.TakePage(Page(trimmedThrough: null, isTerminal: true)));
        Assert.True(resuming.Ended);

        var reading = new EventSequencer(after: 0);
        reading.TakePage(Page(trimmedThrough: null, isTerminal: false, Event(1), Event(2, EventTypes.ExecutionFailed)));
        Assert.True(reading.Ended);
    }

    [Fact]
    public void APageOfNoExecutionSaysSo()
    {
        var sequence = new EventSequencer(after: 0);

        Assert.Throws<ExecutionNotFoundException>(() => sequence.TakePage(new EventPage([], 0, null, false, false)));
    }

    [Fact]
    public void HeldEventsAreTakenInOrderWithRepeatsDropped()
    {
        var sequence = new EventSequencer(after: 1, holdCapacity: 10);
        foreach (var seq in new long[] { 2, 3, 3, 4 })
        {
            Assert.True(sequence.Hold(Event(seq)));
        }

        var taken = new List<long>();
        while (sequence.TakeHeld(out var next) == EventOrder.Next)
        {
            taken.Add(next!.Seq);
        }

        Assert.Equal([2L, 3L, 4L], taken);
        Assert.Equal(0, sequence.HeldCount);
        Assert.Equal(EventOrder.Duplicate, sequence.TakeHeld(out var none));
        Assert.Null(none);
    }

    [Fact]
    public void AGapAmongHeldEventsEmptiesTheHoldForTheLogToFill()
    {
        var sequence = new EventSequencer(after: 1, holdCapacity: 10);
        sequence.Hold(Event(2));
        sequence.Hold(Event(5));
        sequence.Hold(Event(6));

        Assert.Equal(EventOrder.Next, sequence.TakeHeld(out _));
        Assert.Equal(EventOrder.Gap, sequence.TakeHeld(out var gap));
        Assert.Null(gap);
        Assert.Equal(0, sequence.HeldCount);
        Assert.Equal(2, sequence.Last);
    }

    [Fact]
    public void TheHoldIsBoundedButRepeatsOfWhatTheReaderHasTakeNoRoom()
    {
        var sequence = new EventSequencer(after: 3, holdCapacity: 2);

        for (var i = 0; i < 10; i++)
        {
            Assert.True(sequence.Hold(Event(3)));
        }

        Assert.True(sequence.Hold(Event(4)));
        Assert.True(sequence.Hold(Event(5)));
        Assert.False(sequence.Hold(Event(6)));
        Assert.Equal(2, sequence.HeldCount);
    }

    [Fact]
    public void HeldEventsAlreadyTakenFromTheLogAreDroppedWhenTheHoldIsDrained()
    {
        var sequence = new EventSequencer(after: 0, holdCapacity: 10);
        sequence.Hold(Event(1));
        sequence.Hold(Event(2));
        sequence.TakePage(Page(trimmedThrough: null, isTerminal: false, Event(1), Event(2)));

        Assert.Equal(EventOrder.Duplicate, sequence.TakeHeld(out _));
        Assert.Equal(0, sequence.HeldCount);
    }

    [Fact]
    public void HeldEventsAfterTheTerminalOneAreDropped()
    {
        var sequence = new EventSequencer(after: 0, holdCapacity: 10);
        sequence.Hold(Event(1, EventTypes.ExecutionCancelled));
        sequence.Hold(Event(2));

        Assert.Equal(EventOrder.Next, sequence.TakeHeld(out var terminal));
        Assert.True(terminal!.IsTerminal);
        Assert.True(sequence.Ended);
        Assert.Equal(EventOrder.Duplicate, sequence.TakeHeld(out _));
        Assert.True(sequence.Hold(Event(3)));
        Assert.Equal(0, sequence.HeldCount);
    }
}
