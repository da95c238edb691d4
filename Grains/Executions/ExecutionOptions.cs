namespace AgentOrleans.Grains.Executions;

/// <summary>Limits and timings of executions. Section <c>AgentOrleans:Executions</c>.</summary>
public sealed class ExecutionOptions
{
    public const string SectionName = "AgentOrleans:Executions";

    /// <summary>Events kept in an execution's log; older ones are trimmed and readers told so. Default 1,000.</summary>
    public int MaxRetainedEvents { get; set; } = 1000;

    /// <summary>
    /// Events older than this are trimmed from a log when the next one is appended, beside the count bound (the newest
    /// always stays); null trims by count only. Default 30 days, as long as a failed run is kept.
    /// </summary>
    public TimeSpan? MaxEventAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a step may ignore its cancelled token before it is abandoned. Default 5 s.</summary>
    public TimeSpan AbandonGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Progress chunks emitted within this window are coalesced into one <c>node.progress</c>
    /// event and one storage write. Default 50 ms.
    /// </summary>
    public TimeSpan ProgressFlushInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Most chunks one <c>node.progress</c> event carries. Default 500.</summary>
    public int MaxChunksPerProgressEvent { get; set; } = 500;

    /// <summary>Largest JSON a step's output or one progress chunk may be. Default 1 MiB.</summary>
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest wait between retries of a failed checkpoint write (a storage outage). Default 5 s.</summary>
    public TimeSpan MaxCheckpointRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Period of the durable reminder that revives a running execution on a surviving silo. Default 1 min.</summary>
    public TimeSpan RecoveryReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a finished execution that a read brought back into memory stays there before it leaves again
    /// (a finished run leaves at once; a status or event read activates it from storage). Default 30 s: a client
    /// polling a result is served from memory, and one read does not hold an activation until idle collection.
    /// </summary>
    public TimeSpan FinishedKeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an execution that waits for a signal or is paused stays in memory before it leaves (it comes back
    /// for a signal, resume, cancel, read or its own timer); a <c>delay</c> longer than this sleeps out of memory
    /// from its start. Default 30 s.
    /// </summary>
    public TimeSpan ParkAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Signals an execution keeps that no node has taken yet; one more is refused. Default 100.</summary>
    public int MaxBufferedSignals { get; set; } = 100;

    /// <summary>Idempotency keys of accepted signals an execution remembers (the newest). Default 1,000.</summary>
    public int MaxSignalKeys { get; set; } = 1000;

    /// <summary>Completed nodes an execution keeps in its path, for a re-run from one of them (the oldest go first). Default 1,000.</summary>
    public int MaxRerunPathSteps { get; set; } = 1000;

    /// <summary>Characters of overwritten state (keys and prior values) the path keeps; the oldest steps go first past it. Default 1,048,576.</summary>
    public long MaxRerunPathChars { get; set; } = 1024 * 1024;

    /// <summary>Executions each stream partition's activity feed keeps (the newest; a follow-all cursor older than them misses the rest). Default 10,000.</summary>
    public int MaxFeedEntries { get; set; } = 10_000;

    public bool IsValid => ParkAfter > TimeSpan.Zero && MaxBufferedSignals >= 0 && MaxSignalKeys >= 0 && MaxRerunPathSteps >= 0 && MaxRerunPathChars >= 0 && !(MaxEventAge <= TimeSpan.Zero) && MaxFeedEntries >= 1;
}
