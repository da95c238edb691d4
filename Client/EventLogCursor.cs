using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Client;

/// <summary>
/// Reads an execution's durable event log forward, page by page, into an <see cref="EventSequencer"/>:
/// the log is the source of truth that live readers fall back to for what the stream skipped.
/// </summary>
public sealed class EventLogCursor(Func<long, CancellationToken, Task<EventPage>> readLog, EventSequencer sequence)
{
    /// <summary>
    /// Events asked for per log read when catching up: half the log's default retention (1,000), so a
    /// whole log takes two grain calls at most and a reply stays a modest message.
    /// </summary>
    public const int PageSize = 500;

    public EventLogCursor(Func<long, CancellationToken, Task<EventPage>> readLog, long after)
        : this(readLog, new EventSequencer(after))
    {
    }

    /// <summary>The reader's sequence, which this cursor moves along.</summary>
    public EventSequencer Sequence => sequence;

    /// <summary>The next page's events after the sequence's last seq; none when the reader has caught up (or the sequence ended).</summary>
    /// <exception cref="ExecutionNotFoundException">No execution has the id.</exception>
    public async Task<IReadOnlyList<ExecutionEvent>> ReadPageAsync(CancellationToken cancellationToken) =>
        sequence.TakePage(await readLog(sequence.Last, cancellationToken));

    /// <summary>Every event after the sequence's last seq up to the end of the log as it is now.</summary>
    public async Task<List<ExecutionEvent>> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var caught = new List<ExecutionEvent>();
        while (!sequence.Ended)
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
}
