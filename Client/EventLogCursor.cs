using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Client;

/// <summary>
/// Reads an execution's durable event log forward from a sequence number, page by page: the log is
/// the source of truth that live readers fall back to for what the stream skipped. A trimmed log
/// moves the cursor past what is gone for everyone.
/// </summary>
public sealed class EventLogCursor(Func<long, CancellationToken, Task<EventPage>> readLog, long after)
{
    /// <summary>The last seq read (or <c>after</c>, or the trimmed point).</summary>
    public long Last { get; private set; } = after;

    /// <summary>The sequence has ended: its terminal event was read, or the cursor started after it.</summary>
    public bool Ended { get; private set; }

    /// <summary>The next page's events after <see cref="Last"/>; none when the reader has caught up (or the sequence ended).</summary>
    /// <exception cref="ExecutionNotFoundException">No execution has the id.</exception>
    public async Task<IReadOnlyList<ExecutionEvent>> ReadPageAsync(CancellationToken cancellationToken)
    {
        var page = await readLog(Last, cancellationToken);
        if (!page.Exists)
        {
            throw new ExecutionNotFoundException();
        }

        if (page.TrimmedThrough is { } trimmed && trimmed > Last)
        {
            Last = trimmed;
        }

        var events = page.Events.Where(e => e.Seq > Last).ToList();
        if (events.Count > 0)
        {
            Last = events[^1].Seq;
            Ended |= events[^1].IsTerminal;
        }

        // The page reaches the end of an ended sequence (also for a reader resuming after the terminal event).
        Ended |= page.IsTerminal;
        return events;
    }

    /// <summary>Every event after <see cref="Last"/> up to the end of the log as it is now.</summary>
    public async Task<List<ExecutionEvent>> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var caught = new List<ExecutionEvent>();
        while (!Ended)
        {
            var page = await ReadPageAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            caught.AddRange(page);
        }

        return caught;
    }

    /// <summary>Moves past a live event taken in order (its seq is <see cref="Last"/> + 1).</summary>
    public void Advance(ExecutionEvent e)
    {
        Last = e.Seq;
        Ended |= e.IsTerminal;
    }
}
