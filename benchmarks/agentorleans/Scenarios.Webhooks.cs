using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>W1: webhook delivery lag at a fixed event rate, beside the bare HTTP POST round trip on the same machine.</summary>
public sealed partial class Scenarios
{
    /// <summary>Events a three-step run records: queued, started, 3 × (node started, node completed), completed.</summary>
    private const int EventsPerNoop3Run = 9;

    /// <summary>
    /// Starts three-step runs at <paramref name="eventsPerSecond"/> / 9 per second for <paramref name="seconds"/>, with
    /// one webhook subscribed to every event they record; lag = receive time − the event's <c>at</c> (same clock).
    /// Then the floor: POSTs at the same rate from this process to the same receiver, send → answer.
    /// </summary>
    public async Task W1Async(int eventsPerSecond, double seconds, TimeSpan timeout)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var hook = $$"""{"url": "{{receiver.BaseAddress}}hook", "events": ["execution.queued", "execution.started", "node.started", "node.completed", "execution.completed"], "workflowId": "{{Workflows.Noop3}}"}""";
        using (var content = new StringContent(hook, Encoding.UTF8, "application/json"))
        using (var put = await client.Http.PutAsync(new Uri("/v1/webhooks/bench", UriKind.Relative), content))
        {
            put.EnsureSuccessStatusCode();
        }

        // Past the silo's subscription cache (SubscriptionRefresh, 5 s; the warm-up cached "no webhooks", and a stale copy
        // is used while the fresh one is read): a probe run's delivery says runs started from here on are all matched.
        await Task.Delay(TimeSpan.FromSeconds(6));
        while (receiver.Deliveries.IsEmpty)
        {
            await client.StartAsync(Noop3Body);
            await Task.Delay(500);
        }

        receiver.Deliveries.Clear();
        var runsPerSecond = eventsPerSecond / (double)EventsPerNoop3Run;
        var runs = (int)(runsPerSecond * seconds);
        var settings = Settings(("offered_events_per_s", eventsPerSecond), ("runs_per_s", Math.Round(runsPerSecond, 1)), ("runs", runs),
            ("events_expected", runs * EventsPerNoop3Run), ("duration_s", seconds),
            ("method", "one webhook on every event of the three-step runs (9 each), runs started open loop; lag = receiver's receive time (before reading the body) - event 'at'; floor = a bare POST from the load tool to the same receiver at the same rate, send to answer"));
        var started = 0;
        await OpenScheduleAsync(runs, runsPerSecond, async () =>
        {
            if (await client.StartAsync(Noop3Body) is not null)
            {
                Interlocked.Increment(ref started);
            }
        });
        var expected = started * EventsPerNoop3Run;
        using (var wait = new CancellationTokenSource(timeout))
        {
            while (receiver.Deliveries.Count < expected && !wait.IsCancellationRequested)
            {
                await Task.Delay(100);
            }
        }

        var lag = receiver.Deliveries.Values.Select(d => (d.Received - d.At).TotalMilliseconds).Order().ToList();
        settings["runs_started"] = started;
        settings["events_delivered"] = lag.Count;
        settings["repeats"] = receiver.Repeats;
        settings["events_missing"] = expected - lag.Count;
        sink.Add("W1", "webhook_lag_p50", "ms", lag.Count > 0 ? Stats.Percentile(lag, 50) : null, settings);
        sink.Add("W1", "webhook_lag_p99", "ms", lag.Count > 0 ? Stats.Percentile(lag, 99) : null, settings);

        using var floorClient = new HttpClient { BaseAddress = receiver.BaseAddress };
        var floor = new ConcurrentBag<double>();
        await OpenScheduleAsync((int)(eventsPerSecond * seconds), eventsPerSecond, async () =>
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await floorClient.PostAsync(new Uri("/floor", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
            floor.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        });
        var floorSorted = floor.Order().ToList();
        sink.Add("W1", "post_floor_p50", "ms", Stats.Percentile(floorSorted, 50), settings);
        sink.Add("W1", "post_floor_p99", "ms", Stats.Percentile(floorSorted, 99), settings);
    }

    /// <summary>Calls <paramref name="send"/> <paramref name="count"/> times on a fixed schedule (a dedicated thread), and waits for all of them.</summary>
    private static async Task OpenScheduleAsync(int count, double perSecond, Func<Task> send)
    {
        var calls = new Task[count];
        var scheduler = new Thread(() =>
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                Precise.SleepUntil(clock, (long)(i / perSecond * Stopwatch.Frequency));
                calls[i] = Task.Run(send);
            }
        }) { IsBackground = true };
        scheduler.Start();
        await Task.Run(scheduler.Join);
        await Task.WhenAll(calls);
    }
}
