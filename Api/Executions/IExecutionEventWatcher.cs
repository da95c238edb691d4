using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Api.Executions;

/// <summary>One watcher of one execution's live events, fed by the <see cref="ExecutionEventHub"/>.</summary>
public interface IExecutionEventWatcher
{
    /// <summary>
    /// Live events of the watched execution, in the order the stream carried them. They may repeat or
    /// skip seqs: the watcher drops what it has and fills gaps from the log. Called by stream callbacks
    /// and the feed's log poll, possibly at the same time; must return without waiting on I/O.
    /// </summary>
    void Deliver(IReadOnlyList<ExecutionEvent> events);

    /// <summary>
    /// The seq through which this watcher has the whole sequence while it takes live events; null while
    /// it catches up on its own. The feed's log poll reads after the lowest of these.
    /// </summary>
    long? LiveThrough { get; }
}
