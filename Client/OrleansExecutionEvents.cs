using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;
using Orleans.Streams;

namespace AgentOrleans.Client;

/// <summary>
/// Follows executions from inside an Orleans cluster client: over the execution's partition of the events stream, with
/// the log filling what the stream missed. The client must register memory streams named
/// <see cref="StreamNames.Provider"/>. It follows one tenant's executions (<see cref="Tenant"/>): ids given and
/// events returned are that tenant's bare ids, and no other tenant's event is returned.
/// </summary>
public sealed class OrleansExecutionEvents(IClusterClient client)
{
    /// <summary>The tenant whose executions are followed. Default <see cref="TenantKey.DefaultTenant"/>.</summary>
    public string Tenant { get; init; } = TenantKey.DefaultTenant;

    /// <summary>How long the stream may stay quiet before the log is checked. Default 2 s.</summary>
    public TimeSpan LogPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Every retained event of <paramref name="executionId"/> after <paramref name="after"/>, exactly once, in order, ending after the terminal event.</summary>
    public async IAsyncEnumerable<ExecutionEvent> FollowAsync(string executionId, long after = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!TenantKey.TryScope(Tenant, executionId, out var key))
        {
            throw new ExecutionNotFoundException();
        }

        await foreach (var e in FollowKeyAsync(key, after, cancellationToken))
        {
            yield return Shown(e);
        }
    }

    private async IAsyncEnumerable<ExecutionEvent> FollowKeyAsync(string executionId, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var live = Channel.CreateUnbounded<ExecutionEvent>(new UnboundedChannelOptions { SingleReader = true });
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<ExecutionEvent>(StreamId.Create(StreamNames.Namespace, StreamNames.PartitionOf(executionId)));
        var subscription = await stream.SubscribeAsync((e, _) => e.ExecutionId == executionId ? live.Writer.WriteAsync(e).AsTask() : Task.CompletedTask);
        try
        {
            var grain = client.GetGrain<IExecutionGrain>(executionId);
            await foreach (var e in ExecutionEventFollower.FollowAsync((seq, _) => grain.GetEventsAsync(seq, EventLogCursor.PageSize), live.Reader, after, LogPollInterval, cancellationToken))
            {
                yield return e;
            }
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }

    /// <summary>
    /// Every execution's events of <see cref="Tenant"/> as they happen, each execution's exactly once and in order.
    /// <paramref name="checkpoints"/> holds the last seq already processed per execution (a
    /// service's own checkpoint, by bare id); an execution first seen mid-way is replayed from its log.
    /// Runs until cancelled.
    /// </summary>
    public async IAsyncEnumerable<ExecutionEvent> FollowAllAsync(
        IDictionary<string, long>? checkpoints = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        checkpoints ??= new Dictionary<string, long>();
        var live = Channel.CreateUnbounded<ExecutionEvent>(new UnboundedChannelOptions { SingleReader = true });
        var provider = client.GetStreamProvider(StreamNames.Provider);
        List<StreamSubscriptionHandle<ExecutionEvent>> subscriptions = [];
        try
        {
            foreach (var key in StreamNames.PartitionKeys())
            {
                subscriptions.Add(await provider.GetStream<ExecutionEvent>(StreamId.Create(StreamNames.Namespace, key)).SubscribeAsync((e, _) =>
                    TenantKey.TenantOf(e.ExecutionId) == Tenant ? live.Writer.WriteAsync(e).AsTask() : Task.CompletedTask));
            }

            await foreach (var e in live.Reader.ReadAllAsync(cancellationToken))
            {
                // The caller's checkpoint is all that is kept per execution, so the rule is applied to it directly.
                var id = TenantKey.Parse(e.ExecutionId).Id;
                var last = checkpoints.TryGetValue(id, out var seen) ? seen : 0;
                var batch = EventSequencer.Order(last, e.Seq) switch
                {
                    EventOrder.Duplicate => [],
                    EventOrder.Next => [e],
                    _ => await FillGapAsync(e.ExecutionId, last, e.Seq, cancellationToken),
                };
                foreach (var item in batch)
                {
                    checkpoints[id] = item.Seq;
                    yield return Shown(item);
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

    // Events carry their execution's grain key; a follower of one tenant shows the id its callers know.
    private static ExecutionEvent Shown(ExecutionEvent e) => TenantKey.Parse(e.ExecutionId) is (_, var id) && id != e.ExecutionId ? e with { ExecutionId = id } : e;

    /// <summary>The log's events after <paramref name="last"/>, at least through <paramref name="through"/> (the live event that showed the gap).</summary>
    private async Task<List<ExecutionEvent>> FillGapAsync(string executionId, long last, long through, CancellationToken cancellationToken)
    {
        var grain = client.GetGrain<IExecutionGrain>(executionId);
        var log = new EventLogCursor((seq, _) => grain.GetEventsAsync(seq, EventLogCursor.PageSize), last);
        var events = new List<ExecutionEvent>();
        try
        {
            while (log.Sequence.Last < through && !log.Sequence.Ended)
            {
                var page = await log.ReadPageAsync(cancellationToken);
                if (page.Count == 0)
                {
                    break;
                }

                events.AddRange(page);
            }
        }
        catch (ExecutionNotFoundException)
        {
            // Gone since it published: one execution must not end the follower of all of them.
        }

        return events;
    }
}
