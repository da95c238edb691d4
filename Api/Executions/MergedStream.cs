using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Api.Executions;

/// <summary>One execution of a merged read: its sequence, what was read and not yet delivered, and what was delivered.</summary>
internal sealed class MergedStream(string executionId, string? path, long after)
{
    private long _liveThrough = -1;

    public string ExecutionId => executionId;

    /// <summary>Where the execution is under the one read (node, item or tool call, …, joined by <c>/</c>); null for that one.</summary>
    public string? Path => path;

    /// <summary>What was read (log or live), in order.</summary>
    public EventSequencer Sequence { get; } = new(after);

    /// <summary>Read and not yet delivered, in seq order.</summary>
    public Queue<ExecutionEvent> Pending { get; } = new();

    /// <summary>The last seq delivered: the stream's part of the position.</summary>
    public long Delivered { get; set; } = after;

    /// <summary>The log may have more than was read: read it when nothing is pending.</summary>
    public bool NeedsRead { get; set; } = true;

    public bool Watched { get; set; }

    /// <summary>The child does not exist.</summary>
    public bool Gone { get; set; }

    /// <summary>Its terminal event was delivered, or it is gone: the stream is out of the position.</summary>
    public bool Closed { get; set; }

    /// <summary>Nothing to deliver until the log is read.</summary>
    public bool MustRead => NeedsRead && Pending.Count == 0 && !Closed;

    /// <summary>For the live feed (any thread): the seq through which the stream has everything while it takes live events.</summary>
    public long? LiveThrough
    {
        get
        {
            var through = Volatile.Read(ref _liveThrough);
            return through < 0 ? null : through;
        }
    }

    public void PublishLiveThrough() => Volatile.Write(ref _liveThrough, NeedsRead || Closed ? -1 : Sequence.Last);

    /// <summary>A live event: taken when it is the next one, dropped when had; a gap has the log read.</summary>
    public void Offer(ExecutionEvent e)
    {
        if (Closed)
        {
            return;
        }

        switch (Sequence.Offer(e))
        {
            case EventOrder.Next:
                Pending.Enqueue(e);
                break;
            case EventOrder.Gap:
                NeedsRead = true;
                break;
        }

        PublishLiveThrough();
    }
}
