using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;
using Orleans.Streams;

namespace AgentOrleans.Client;

/// <summary>
/// Follows every execution exactly once from a <see cref="FollowAllCursor"/>. The durable side is each partition's
/// activity feed (<see cref="IExecutionFeedGrain"/>): read from the cursor at the start and again whenever
/// <c>pollInterval</c> passes, it names the executions whose logs hold events past their checkpoints, and those logs are
/// read. The streams are the fast path: a live event that is next is taken, a duplicate dropped, a gap filled from the
/// log. Every event is taken only as its execution's checkpoint plus one, so the two paths never deliver one twice.
/// Only <c>tenant</c>'s executions are followed; the cursor and the events name them by their bare ids.
/// </summary>
internal sealed class AllExecutionsFollower(IClusterClient client, FollowAllCursor cursor, string tenant, TimeSpan pollInterval)
{
    private const int FeedPageSize = 500;

    public async IAsyncEnumerable<ExecutionEvent> FollowAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var live = Channel.CreateUnbounded<ExecutionEvent>(new UnboundedChannelOptions { SingleReader = true });
        var provider = client.GetStreamProvider(StreamNames.Provider);
        List<StreamSubscriptionHandle<ExecutionEvent>> subscriptions = [];
        try
        {
            // Subscribed before the feeds are read, so nothing falls between the two.
            foreach (var key in StreamNames.PartitionKeys())
            {
                subscriptions.Add(await provider.GetStream<ExecutionEvent>(StreamId.Create(StreamNames.Namespace, key)).SubscribeAsync((e, _) => Mine(e.ExecutionId) ? live.Writer.WriteAsync(e).AsTask() : Task.CompletedTask));
            }

            if (cursor.FromNow)
            {
                foreach (var key in StreamNames.PartitionKeys())
                {
                    cursor.Partitions[key] = (await Feed(key).ReadAsync(long.MaxValue, 0)).Last;
                }

                cursor.FromNow = false;
            }

            while (true)
            {
                foreach (var key in StreamNames.PartitionKeys())
                {
                    await foreach (var e in CatchUpAsync(key, cancellationToken))
                    {
                        yield return e;
                    }
                }

                var pollStarted = Stopwatch.GetTimestamp();
                while (await NextLiveAsync(live.Reader, pollInterval - Stopwatch.GetElapsedTime(pollStarted), cancellationToken) is { } next)
                {
                    var order = EventSequencer.Order(cursor.Last(Bare(next.ExecutionId)), next.Seq);
                    if (order == EventOrder.Duplicate)
                    {
                        continue;
                    }

                    if (order == EventOrder.Next)
                    {
                        cursor.Executions[Bare(next.ExecutionId)] = next.Seq;
                        yield return OrleansExecutionEvents.Shown(next);
                        continue;
                    }

                    await foreach (var e in ReadLogAsync(next.ExecutionId, cancellationToken))
                    {
                        yield return e;
                    }
                }
            }
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                await subscription.UnsubscribeAsync();
            }
        }
    }

    /// <summary>The feed of one partition after the cursor: each execution's log past its checkpoint; the position moves once a page is done.</summary>
    private async IAsyncEnumerable<ExecutionEvent> CatchUpAsync(string partition, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var feed = Feed(partition);
        while (true)
        {
            var page = await feed.ReadAsync(cursor.Partitions.GetValueOrDefault(partition), FeedPageSize);
            foreach (var entry in page.Entries)
            {
                if (Mine(entry.ExecutionId) && entry.Seq > cursor.Last(Bare(entry.ExecutionId)))
                {
                    await foreach (var e in ReadLogAsync(entry.ExecutionId, cancellationToken))
                    {
                        yield return e;
                    }
                }
            }

            if (page.Entries.Count == 0)
            {
                yield break;
            }

            cursor.Partitions[partition] = page.Entries[^1].Position;
        }
    }

    /// <summary>The execution's log after its checkpoint, to its end as it is now; the checkpoint moves with each event yielded.</summary>
    private async IAsyncEnumerable<ExecutionEvent> ReadLogAsync(string executionId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var grain = client.GetGrain<IExecutionGrain>(executionId);
        var id = Bare(executionId);
        var log = new EventLogCursor((seq, _) => grain.GetEventsAsync(seq, EventLogCursor.PageSize), cursor.Last(id));
        while (true)
        {
            IReadOnlyList<ExecutionEvent> page;
            try
            {
                page = await log.ReadPageAsync(cancellationToken);
            }
            catch (ExecutionNotFoundException)
            {
                // Gone since it was noted: one execution must not end the follower of all of them.
                yield break;
            }

            if (page.Count == 0)
            {
                // Past what was trimmed from the log, too, so it is not asked for again.
                if (log.Sequence.Last > cursor.Last(id))
                {
                    cursor.Executions[id] = log.Sequence.Last;
                }

                yield break;
            }

            foreach (var e in page)
            {
                cursor.Executions[id] = e.Seq;
                yield return OrleansExecutionEvents.Shown(e);
            }
        }
    }

    /// <summary>The next live event, or null once <paramref name="wait"/> has passed (time to read the feeds again).</summary>
    private static async Task<ExecutionEvent?> NextLiveAsync(ChannelReader<ExecutionEvent> live, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (live.TryRead(out var buffered))
        {
            return buffered;
        }

        if (wait <= TimeSpan.Zero)
        {
            return null;
        }

        using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        poll.CancelAfter(wait);
        try
        {
            return await live.ReadAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private bool Mine(string executionKey) => TenantKey.TenantOf(executionKey) == tenant;

    private static string Bare(string executionKey) => TenantKey.Parse(executionKey).Id;

    private IExecutionFeedGrain Feed(string partition) => client.GetGrain<IExecutionFeedGrain>(partition);
}
