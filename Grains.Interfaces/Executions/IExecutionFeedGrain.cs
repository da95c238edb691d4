namespace AgentOrleans.Grains.Executions;

/// <summary>
/// One stream partition's durable feed of executions with activity, keyed by the partition key (<see cref="StreamNames.PartitionKeys"/>):
/// each execution once, at the position of its latest note, with the seq its log had reached. A follower of every
/// execution reads it from its own cursor to find what it has not seen, then reads those logs; the streams only make it
/// faster. Bounded: the oldest entries beyond its limit are dropped and reported as trimmed.
/// </summary>
[Alias("AgentOrleans.IExecutionFeedGrain")]
public interface IExecutionFeedGrain : IGrainWithStringKey
{
    /// <summary>Records that <paramref name="executionId"/>'s log is durable through <paramref name="seq"/>; durable when it returns.</summary>
    [Alias("Note")]
    Task NoteAsync(string executionId, long seq);

    /// <summary>Entries after position <paramref name="after"/>, oldest first, at most <paramref name="limit"/>.</summary>
    [Alias("Read")]
    Task<FeedPage> ReadAsync(long after, int limit);
}

/// <summary>An execution with activity: its position in the feed and the seq its log was durable through.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.FeedEntry")]
public sealed record FeedEntry([property: Id(0)] long Position, [property: Id(1)] string ExecutionId, [property: Id(2)] long Seq);

/// <summary>A page of the feed; <see cref="Last"/> is the newest position there is, <see cref="TrimmedThrough"/> the last position dropped.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.FeedPage")]
public sealed record FeedPage(
    [property: Id(0)] List<FeedEntry> Entries,
    [property: Id(1)] long Last,
    [property: Id(2)] long TrimmedThrough);
