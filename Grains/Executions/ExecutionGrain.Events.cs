using AgentOrleans.Grains.Index;
using Orleans.Storage;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The event sequence: appended in memory with the next seq, made durable with the state at a
/// checkpoint, and only then published and shown to readers. The log is the source of truth;
/// the streams are a fast path that may drop events (a full memory queue) without loss.
/// </summary>
internal sealed partial class ExecutionGrain
{
    /// <summary>
    /// Persists state and events together, then publishes what became durable. The run loop's
    /// checkpoints (<paramref name="untilDurable"/>) ride out a storage outage: a failed write is
    /// retried with backoff until it succeeds or the activation shuts down, because failing the run
    /// for a database restart would turn a transient fault into a lost execution. Request paths
    /// (start, cancel) pass false and fail fast, so their caller hears 503 and retries.
    /// </summary>
    private async Task CommitAsync(bool untilDurable = true)
    {
        await _commitLock.WaitAsync();
        List<ExecutionEvent> published;
        ExecutionSummary? indexed;
        try
        {
            await FillOutboxAsync();
            var seqAtWrite = Execution.LastSeq;
            var statusAtWrite = Execution.Status;
            await WriteStateAsync(untilDurable);
            _durableSeq = Math.Max(_durableSeq, seqAtWrite);
            _durableStatus = statusAtWrite;
            published = _transitions.TakeUnpublishedThrough(seqAtWrite);
            indexed = SummaryToIndex();
        }
        finally
        {
            _commitLock.Release();
        }

        await PublishAsync(published);
        await IndexAsync(indexed);
        await HandOffOutboxAsync();
        if (Execution.Status.IsTerminal())
        {
            _terminal.TrySetResult();
        }

        await NoteActivityAsync();
    }

    private async Task WriteStateAsync(bool untilDurable)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        for (var failures = 1; ; failures++)
        {
            try
            {
                await state.WriteStateAsync();
                return;
            }
            catch (Exception ex) when (untilDurable && ex is not (OutOfMemoryException or InconsistentStateException) && !_shutdown.IsCancellationRequested)
            {
                // An etag conflict is not transient (another activation wrote, or a lost reply): it is left to the run loop.
                Log.CheckpointRetrying(logger, ExecutionId, failures, delay, ex);
            }

            await Task.Delay(delay, time, _shutdown.Token);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxCheckpointRetryDelay.Ticks));
        }
    }

    private async Task PublishAsync(List<ExecutionEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            // One publish, on the execution's partition: followers of one execution filter it by id, since a
            // stream per execution costs every run a pub-sub rendezvous (docs/decisions.md#one-stream-per-partition).
            await this.GetStreamProvider(StreamNames.Provider).GetStream<ExecutionEvent>(StreamId.Create(StreamNames.Namespace, StreamNames.PartitionOf(ExecutionId))).OnNextBatchAsync(events);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Readers fill any gap from the durable log; a publish failure loses nothing. No stack trace: under
            // load every publish fails the same way (docs/decisions.md#publish-failures-log-without-stack-trace).
            Log.PublishFailed(logger, ExecutionId, events[0].Seq, events[^1].Seq, ex.GetBaseException().Message);
        }
    }
}
