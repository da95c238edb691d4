namespace AgentOrleans.Grains.Executions;

/// <summary>The bounded event log's two rules: trimming the oldest, and paging after a seq.</summary>
public static class EventLog
{
    /// <summary>Drops the oldest events beyond <paramref name="maxRetained"/>; returns the new trimmed-through seq.</summary>
    public static long Trim(List<ExecutionEvent> events, int maxRetained, long trimmedThrough)
    {
        var excess = events.Count - maxRetained;
        if (excess <= 0)
        {
            return trimmedThrough;
        }

        var last = events[excess - 1].Seq;
        events.RemoveRange(0, excess);
        return last;
    }

    /// <summary>
    /// Drops the oldest events beyond <paramref name="maxRetained"/> and those recorded before <paramref name="notBefore"/>
    /// (the newest event always stays, so a reader learns where the log stands); returns the new trimmed-through seq.
    /// </summary>
    public static long Trim(List<ExecutionEvent> events, int maxRetained, long trimmedThrough, DateTimeOffset? notBefore)
    {
        trimmedThrough = Trim(events, maxRetained, trimmedThrough);
        if (notBefore is not { } cutoff)
        {
            return trimmedThrough;
        }

        var old = 0;
        while (old < events.Count - 1 && events[old].At < cutoff)
        {
            old++;
        }

        if (old == 0)
        {
            return trimmedThrough;
        }

        var last = events[old - 1].Seq;
        events.RemoveRange(0, old);
        return last;
    }

    /// <summary>
    /// Events after <paramref name="after"/> up to <paramref name="durableSeq"/> (never one not yet
    /// persisted). When the caller asked for trimmed events the page says through which seq.
    /// </summary>
    public static (List<ExecutionEvent> Events, long Next, long? TrimmedThrough) Page(
        List<ExecutionEvent> events, long after, int limit, long durableSeq, long trimmedThrough)
    {
        var page = new List<ExecutionEvent>(Math.Min(limit, events.Count));
        var first = events.Count == 0 ? 0 : events[0].Seq;
        var start = (int)Math.Clamp(after + 1 - first, 0, events.Count);
        for (var i = start; i < events.Count && page.Count < limit && events[i].Seq <= durableSeq; i++)
        {
            page.Add(events[i]);
        }

        var next = page.Count > 0 ? page[^1].Seq : Math.Max(after, Math.Min(trimmedThrough, durableSeq));
        return (page, next, after < trimmedThrough ? trimmedThrough : null);
    }
}
