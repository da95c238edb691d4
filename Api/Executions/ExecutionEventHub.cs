using System.Collections.Concurrent;
using System.Threading.Channels;
using AgentOrleans.Grains.Executions;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// The live events of the executions watched through this Api process. The hub subscribes to an
/// execution's partition of the events stream while anyone here watches an execution on it, and
/// fans each event out to that execution's clients. Each client has a bounded buffer; the stream
/// callback only tries to write, so a slow client never slows the stream, the run or other
/// clients — it is cut off and resumes.
/// </summary>
public sealed class ExecutionEventHub(IClusterClient client, IOptions<ApiOptions> options)
{
    // Read by the stream callbacks without the lock; changed under it.
    private readonly ConcurrentDictionary<string, Feed> _feeds = [];
    private readonly Dictionary<string, Partition> _partitions = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Subscribes a client; the subscription is live when this returns (subscribe first, then read the log).
    /// <paramref name="bufferEvents"/> overrides <see cref="ApiOptions.SseClientBufferEvents"/> for this client.
    /// </summary>
    public async Task<HubSubscription> SubscribeAsync(string executionId, int? bufferEvents = null)
    {
        var subscriber = new Subscriber(Channel.CreateBounded<ExecutionEvent>(new BoundedChannelOptions(bufferEvents ?? options.Value.SseClientBufferEvents)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        }));
        var partitionKey = StreamNames.AllPartitionKeyOf(executionId);
        Partition partition;
        lock (_lock)
        {
            var feed = _feeds.GetOrAdd(executionId, _ => new Feed());
            feed.Clients = [.. feed.Clients, subscriber];
            if (!_partitions.TryGetValue(partitionKey, out partition!))
            {
                partition = new Partition(SubscribePartitionAsync(partitionKey));
                _partitions[partitionKey] = partition;
            }

            partition.Watchers++;
        }

        var subscription = new HubSubscription(subscriber.Channel.Reader, subscriber.CutOff.Task, () => LeaveAsync(executionId, subscriber, partitionKey, partition));
        try
        {
            await partition.Subscribed;
        }
        catch
        {
            await subscription.DisposeAsync();
            throw;
        }

        return subscription;
    }

    /// <summary>How many partitions of the events stream this hub is subscribed to (each while someone watches one of its executions).</summary>
    public int SubscribedPartitions
    {
        get
        {
            lock (_lock)
            {
                return _partitions.Count;
            }
        }
    }

    private async Task<StreamSubscriptionHandle<ExecutionEvent>> SubscribePartitionAsync(string partitionKey)
    {
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<ExecutionEvent>(StreamId.Create(StreamNames.AllExecutions, partitionKey));
        return await stream.SubscribeAsync((e, _) =>
        {
            if (_feeds.TryGetValue(e.ExecutionId, out var feed))
            {
                foreach (var subscriber in feed.Clients)
                {
                    if (!subscriber.Channel.Writer.TryWrite(e) && subscriber.Channel.Writer.TryComplete(new ClientTooSlowException()))
                    {
                        subscriber.CutOff.TrySetResult();
                    }
                }
            }

            return Task.CompletedTask;
        });
    }

    private async ValueTask LeaveAsync(string executionId, Subscriber subscriber, string partitionKey, Partition partition)
    {
        bool lastOnPartition;
        lock (_lock)
        {
            var feed = _feeds[executionId];
            feed.Clients = [.. feed.Clients.Where(c => c != subscriber)];
            if (feed.Clients.Length == 0)
            {
                _feeds.TryRemove(executionId, out _);
            }

            lastOnPartition = --partition.Watchers == 0;
            if (lastOnPartition)
            {
                _partitions.Remove(partitionKey);
            }
        }

        // A subscription that failed has nothing to undo (its caller heard the failure).
        if (lastOnPartition && partition.Subscribed.IsCompletedSuccessfully)
        {
            try
            {
                await partition.Subscribed.Result.UnsubscribeAsync();
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // The subscription dies with the cluster connection anyway; nothing to clean up.
            }
        }
    }

    private sealed class Feed
    {
        // Replaced, never mutated, so the stream callback can read it without the lock.
        public volatile Subscriber[] Clients = [];
    }

    private sealed class Partition(Task<StreamSubscriptionHandle<ExecutionEvent>> subscribed)
    {
        public Task<StreamSubscriptionHandle<ExecutionEvent>> Subscribed => subscribed;

        public int Watchers { get; set; }
    }
}

/// <summary>A client's bounded buffer, and the signal that it overflowed. Compared by reference: each client is its own.</summary>
internal sealed class Subscriber(Channel<ExecutionEvent> channel)
{
    public Channel<ExecutionEvent> Channel => channel;

    public TaskCompletionSource CutOff { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A client's live feed of one execution; disposing it leaves the feed.</summary>
public sealed class HubSubscription(ChannelReader<ExecutionEvent> reader, Task cutOff, Func<ValueTask> leave) : IAsyncDisposable
{
    public ChannelReader<ExecutionEvent> Reader => reader;

    /// <summary>
    /// Completes when the client fell further behind than its buffer: it must be disconnected now,
    /// even if it is stuck (its buffer's own completion waits until the buffer is drained).
    /// </summary>
    public Task CutOff => cutOff;

    public ValueTask DisposeAsync() => leave();
}

/// <summary>The client fell further behind than its buffer allows; it is disconnected and may resume.</summary>
public sealed class ClientTooSlowException() : Exception("the client fell too far behind the live events");
