using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Client;

/// <summary>
/// The exactly-once reading algorithm of the delivery contract. The live channel must be
/// subscribed before this runs; then the log is read from <c>after</c>, live events are taken
/// in seq order, duplicates dropped and any gap filled from the log. When nothing arrives live
/// for <c>logPollInterval</c> the log is read again, so an event whose stream publish failed
/// is still delivered.
/// </summary>
public static class ExecutionEventFollower
{
    public static async IAsyncEnumerable<ExecutionEvent> FollowAsync(
        Func<long, CancellationToken, Task<EventPage>> readLog,
        ChannelReader<ExecutionEvent> live,
        long after,
        TimeSpan logPollInterval,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sequence = new EventSequencer(after);
        var log = new EventLogCursor(readLog, sequence);
        foreach (var e in await log.ReadToEndAsync(cancellationToken))
        {
            yield return e;
        }

        while (!sequence.Ended)
        {
            // An event already buffered (a checkpoint publishes several) needs no timed wait.
            cancellationToken.ThrowIfCancellationRequested();
            live.TryRead(out var next);
            if (next is null)
            {
                using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                poll.CancelAfter(logPollInterval);
                try
                {
                    next = await live.ReadAsync(poll.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Quiet for a while: fall through to the log, the source of truth.
                }
            }

            var order = next is null ? EventOrder.Gap : sequence.Offer(next);
            if (order == EventOrder.Duplicate)
            {
                continue;
            }

            if (order == EventOrder.Next)
            {
                yield return next!;
                continue;
            }

            foreach (var e in await log.ReadToEndAsync(cancellationToken))
            {
                yield return e;
            }
        }
    }
}
