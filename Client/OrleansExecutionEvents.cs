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
    /// Every execution's events of <see cref="Tenant"/> from now on, each execution's exactly once and in order.
    /// <paramref name="checkpoints"/> holds the last seq already processed per execution (a
    /// service's own checkpoint, by bare id); an execution first seen mid-way is replayed from its log.
    /// Runs until cancelled. To resume after being away, use the overload with a saved <see cref="FollowAllCursor"/>.
    /// </summary>
    public IAsyncEnumerable<ExecutionEvent> FollowAllAsync(
        IDictionary<string, long>? checkpoints = null, CancellationToken cancellationToken = default) =>
        FollowAllAsync(new FollowAllCursor(checkpoints ?? new Dictionary<string, long>(StringComparer.Ordinal)) { FromNow = true }, cancellationToken);

    /// <summary>
    /// Every execution's events of <see cref="Tenant"/> after <paramref name="cursor"/>, each execution's exactly once and in order, also those
    /// that happened while nothing followed and those whose publish was lost (from the partitions' activity feeds and
    /// the logs; docs/events.md#following-every-execution). The cursor moves as events are yielded: save it after
    /// handling one. Runs until cancelled.
    /// </summary>
    public IAsyncEnumerable<ExecutionEvent> FollowAllAsync(FollowAllCursor cursor, CancellationToken cancellationToken = default) =>
        new AllExecutionsFollower(client, cursor, Tenant, LogPollInterval).FollowAsync(cancellationToken);

    // Events carry their execution's grain key; a follower of one tenant shows the id its callers know.
    internal static ExecutionEvent Shown(ExecutionEvent e) => TenantKey.Parse(e.ExecutionId) is (_, var id) && id != e.ExecutionId ? e with { ExecutionId = id } : e;
}
