using System.Threading.Channels;
using AgentOrleans.Grains.Executions;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// One stream subscription per watched execution in this Api process, fanned out to every client
/// watching it. Each client has a bounded buffer; the stream callback only tries to write, so a
/// slow client never slows the stream, the run or other clients — it is cut off and resumes.
/// </summary>
public sealed class ExecutionEventHub(IClusterClient client, IOptions<ApiOptions> options)
{
    private readonly Dictionary<string, Feed> _feeds = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Subscribes a client; the subscription is live when this returns (subscribe first, then read the log).
    /// <paramref name="bufferEvents"/> overrides <see cref="ApiOptions.SseClientBufferEvents"/> for this client.
    /// </summary>
    public async Task<HubSubscription> SubscribeAsync(string executionId, int? bufferEvents = null)
    {
        var channel = Channel.CreateBounded<ExecutionEvent>(new BoundedChannelOptions(bufferEvents ?? options.Value.SseClientBufferEvents)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Feed feed;
        lock (_lock)
        {
            if (!_feeds.TryGetValue(executionId, out feed!))
            {
                feed = new Feed(executionId);
                feed.Subscribed = SubscribeFeedAsync(feed);
                _feeds[executionId] = feed;
            }

            feed.Clients = [.. feed.Clients, new Subscriber(channel)];
        }

        await feed.Subscribed;
        var subscriber = feed.Clients.First(c => c.Channel == channel);
        return new HubSubscription(channel.Reader, subscriber.CutOff.Task, () => Leave(feed, channel));
    }

    private async Task<StreamSubscriptionHandle<ExecutionEvent>> SubscribeFeedAsync(Feed feed)
    {
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<ExecutionEvent>(StreamId.Create(StreamNames.Execution, feed.ExecutionId));
        return await stream.SubscribeAsync((e, _) =>
        {
            foreach (var subscriber in feed.Clients)
            {
                if (!subscriber.Channel.Writer.TryWrite(e) && subscriber.Channel.Writer.TryComplete(new ClientTooSlowException()))
                {
                    subscriber.CutOff.TrySetResult();
                }
            }

            return Task.CompletedTask;
        });
    }

    private async ValueTask Leave(Feed feed, Channel<ExecutionEvent> channel)
    {
        bool last;
        lock (_lock)
        {
            feed.Clients = [.. feed.Clients.Where(c => c.Channel != channel)];
            last = feed.Clients.Length == 0;
            if (last)
            {
                _feeds.Remove(feed.ExecutionId);
            }
        }

        if (last)
        {
            try
            {
                await (await feed.Subscribed).UnsubscribeAsync();
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // The subscription dies with the cluster connection anyway; nothing to clean up.
            }
        }
    }

    private sealed class Feed(string executionId)
    {
        public string ExecutionId => executionId;

        // Replaced, never mutated, so the stream callback can read it without the lock.
        public volatile Subscriber[] Clients = [];

        public Task<StreamSubscriptionHandle<ExecutionEvent>> Subscribed { get; set; } = null!;
    }
}

/// <summary>A client's bounded buffer, and the signal that it overflowed.</summary>
internal sealed record Subscriber(Channel<ExecutionEvent> Channel)
{
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
