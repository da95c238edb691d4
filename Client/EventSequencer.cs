using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Client;

/// <summary>
/// The ordering rule of the delivery contract for one reader of one execution: a seq at most the last
/// one is a duplicate, the last one plus one is taken, anything later is a gap the log fills. Live
/// sources repeat and skip seqs; the log and the server's SSE skip only what was trimmed, so what they
/// give is taken as it comes. Events that arrive while the reader is busy wait in a bounded hold.
/// Pure: no I/O and not thread-safe, so a reader shared by threads calls it under its own lock.
/// </summary>
public sealed class EventSequencer(long after, int holdCapacity = 0)
{
    // Made on first use: most followers never hold anything.
    private Queue<ExecutionEvent>? _held;

    /// <summary>The last seq the reader has: taken, skipped as trimmed, or <c>after</c>.</summary>
    public long Last { get; private set; } = after;

    /// <summary>The terminal event was taken, or a log page said the sequence is over: nothing follows.</summary>
    public bool Ended { get; private set; }

    /// <summary>How many events are held.</summary>
    public int HeldCount => _held?.Count ?? 0;

    /// <summary>Where an event with <paramref name="seq"/> falls after <paramref name="last"/>, for a reader that keeps only its last seq.</summary>
    public static EventOrder Order(long last, long seq) =>
        seq <= last ? EventOrder.Duplicate : seq == last + 1 ? EventOrder.Next : EventOrder.Gap;

    /// <summary>Where <paramref name="e"/> falls, without taking it.</summary>
    public EventOrder Classify(ExecutionEvent e) => Ended ? EventOrder.Duplicate : Order(Last, e.Seq);

    /// <summary>Takes <paramref name="e"/> when it is the next one; says where it falls either way.</summary>
    public EventOrder Offer(ExecutionEvent e)
    {
        var order = Classify(e);
        if (order == EventOrder.Next)
        {
            Advance(e);
        }

        return order;
    }

    /// <summary>
    /// Takes <paramref name="e"/> whatever lies between: for a source that is itself in order, where a
    /// skipped seq was trimmed for everyone. False (nothing taken) for a duplicate.
    /// </summary>
    public bool TakeInOrder(ExecutionEvent e)
    {
        if (Classify(e) == EventOrder.Duplicate)
        {
            return false;
        }

        Advance(e);
        return true;
    }

    /// <summary>
    /// Takes a page of the durable log: moves past what it reports trimmed, takes its events after
    /// <see cref="Last"/> and returns them; a page that reaches the end of an ended sequence ends it.
    /// </summary>
    /// <exception cref="ExecutionNotFoundException">The page says no execution has the id.</exception>
    public List<ExecutionEvent> TakePage(EventPage page)
    {
        if (!page.Exists)
        {
            throw new ExecutionNotFoundException();
        }

        if (page.TrimmedThrough is { } trimmed && trimmed > Last)
        {
            Last = trimmed;
        }

        var taken = new List<ExecutionEvent>(page.Events.Count);
        foreach (var e in page.Events)
        {
            if (TakeInOrder(e))
            {
                taken.Add(e);
            }
        }

        // Also for a reader resuming after the terminal event, whose page is empty.
        Ended |= page.IsTerminal;
        return taken;
    }

    /// <summary>
    /// Holds <paramref name="e"/> until the reader takes it with <see cref="TakeHeld"/>. A duplicate takes
    /// no room (repeats of what the reader has must not fill the hold). False when the hold is full: the
    /// reader is further behind than it may be.
    /// </summary>
    public bool Hold(ExecutionEvent e)
    {
        if (Classify(e) == EventOrder.Duplicate)
        {
            return true;
        }

        _held ??= new Queue<ExecutionEvent>();
        if (_held.Count >= holdCapacity)
        {
            return false;
        }

        _held.Enqueue(e);
        return true;
    }

    /// <summary>
    /// Takes the next held event, dropping held duplicates. <see cref="EventOrder.Next"/>: <paramref name="next"/>
    /// is taken. <see cref="EventOrder.Gap"/>: the held events skip a seq and the hold is emptied, as the
    /// log has the missing ones and everything after them. <see cref="EventOrder.Duplicate"/>: nothing new is held.
    /// </summary>
    public EventOrder TakeHeld(out ExecutionEvent? next)
    {
        next = null;
        while (_held is { Count: > 0 })
        {
            var e = _held.Dequeue();
            switch (Offer(e))
            {
                case EventOrder.Next:
                    next = e;
                    return EventOrder.Next;
                case EventOrder.Gap:
                    _held.Clear();
                    return EventOrder.Gap;
            }
        }

        return EventOrder.Duplicate;
    }

    private void Advance(ExecutionEvent e)
    {
        Last = e.Seq;
        Ended |= e.IsTerminal;
    }
}
