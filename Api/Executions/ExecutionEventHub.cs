using System.Collections.Concurrent;
using AgentOrleans.Grains.Executions;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// The live events of the executions watched through this Api process. The hub subscribes to an
/// execution's partition of the events stream while anyone here watches an execution on it, and
/// hands each checkpoint's events to that execution's watchers in one call. Watchers never block the
/// hub: a slow one buffers or is cut off on its own, so it never slows the stream, the run or others.
/// </summary>
public sealed class ExecutionEventHub(IClusterClient client, IOptions<ApiOptions> options, TimeProvider time)
{
    // Read by the stream callbacks without the lock; changed under it.
    private readonly ConcurrentDictionary<string, ExecutionEventFeed> _feeds = [];
    private readonly Dictionary<string, Partition> _partitions = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Adds a watcher; the subscription is live when this returns (subscribe first, then read the log).
    /// Disposing the result removes the watcher; a delivery already under way may still reach it.
    /// </summary>
    public async Task<IAsyncDisposable> WatchAsync(string executionId, IExecutionEventWatcher watcher)
    {
        var partitionKey = StreamNames.PartitionOf(executionId);
        Partition partition;
        ExecutionEventFeed feed;
        lock (_lock)
        {
            feed = _feeds.GetOrAdd(executionId, id => new ExecutionEventFeed(client.GetGrain<IExecutionGrain>(id), options.Value.LogPollInterval, time));
            feed.Add(watcher);
            if (!_partitions.TryGetValue(partitionKey, out partition!))
            {
                partition = new Partition(SubscribePartitionAsync(partitionKey));
                _partitions[partitionKey] = partition;
            }

            partition.Watchers++;
        }

        var watch = new Watch(() => LeaveAsync(executionId, feed, watcher, partitionKey, partition));
        try
        {
            await partition.Subscribed;
        }
        catch
        {
            await watch.DisposeAsync();
            throw;
        }

        return watch;
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

    /// <summary>How many executions have watchers here (each with its own quiet-time log poll).</summary>
    public int WatchedExecutions => _feeds.Count;

    private async Task<StreamSubscriptionHandle<ExecutionEvent>> SubscribePartitionAsync(string partitionKey)
    {
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<ExecutionEvent>(StreamId.Create(StreamNames.Namespace, partitionKey));

        // Batches: a checkpoint's events arrive together, so each watcher writes them in one go.
        return await stream.SubscribeAsync((IList<SequentialItem<ExecutionEvent>> batch) =>
        {
            var start = 0;
            for (var i = 1; i <= batch.Count; i++)
            {
                if (i == batch.Count || batch[i].Item.ExecutionId != batch[start].Item.ExecutionId)
                {
                    if (_feeds.TryGetValue(batch[start].Item.ExecutionId, out var feed))
                    {
                        feed.Deliver([.. batch.Skip(start).Take(i - start).Select(s => s.Item)]);
                    }

                    start = i;
                }
            }

            return Task.CompletedTask;
        });
    }

    private async ValueTask LeaveAsync(string executionId, ExecutionEventFeed feed, IExecutionEventWatcher watcher, string partitionKey, Partition partition)
    {
        bool lastOnPartition;
        bool lastOnFeed;
        lock (_lock)
        {
            lastOnFeed = feed.Remove(watcher);
            if (lastOnFeed)
            {
                _feeds.TryRemove(executionId, out _);
            }

            lastOnPartition = --partition.Watchers == 0;
            if (lastOnPartition)
            {
                _partitions.Remove(partitionKey);
            }
        }

        if (lastOnFeed)
        {
            await feed.DisposeAsync();
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

    private sealed class Partition(Task<StreamSubscriptionHandle<ExecutionEvent>> subscribed)
    {
        public Task<StreamSubscriptionHandle<ExecutionEvent>> Subscribed => subscribed;

        public int Watchers { get; set; }
    }

    private sealed class Watch(Func<ValueTask> leave) : IAsyncDisposable
    {
        private int _left;

        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _left, 1) == 0 ? leave() : ValueTask.CompletedTask;
    }
}
