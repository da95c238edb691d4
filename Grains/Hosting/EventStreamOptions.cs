namespace AgentOrleans.Grains.Hosting;

/// <summary>
/// The memory streams that carry live events (section <c>AgentOrleans:Streams</c>). Memory streams
/// are polled: each queue's pulling agent asks its queue every <see cref="PollInterval"/> when it
/// is idle, so the interval bounds the added delivery latency and, times <see cref="Queues"/>, is
/// what an idle silo spends on polling.
/// </summary>
public sealed class EventStreamOptions
{
    public const string SectionName = "AgentOrleans:Streams";

    /// <summary>
    /// How often an idle queue is polled. Default 2 ms: at most 2 ms added to an event's delivery, paid for
    /// in idle CPU; a deployment that prefers idle silos to fast progress sets 5–10 ms
    /// (docs/decisions.md#stream-poll-interval-2-ms).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Queues (and pulling agents) in the cluster. Default 4: the queues spread over up to 4 silos, and
    /// every queue adds its idle polling (docs/decisions.md#stream-queues-and-batches).
    /// </summary>
    public int Queues { get; set; } = 4;

    /// <summary>Messages a pulling agent takes from its queue per read. Default 100.</summary>
    public int BatchSize { get; set; } = 100;
}
