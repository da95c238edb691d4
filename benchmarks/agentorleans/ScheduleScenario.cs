using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>
/// S10, schedules: memory per idle schedule, then the lateness of every fire of N schedules at one period, all fires
/// aligned on the same times (as Hangfire's seconds cron and Celery beat's entries started together are). Lateness =
/// the fire's execution <c>createdAt</c> (when the execution grain took the start and recorded <c>execution.queued</c>)
/// − its nominal time, read from the schedule's last fires (<c>at</c>, the nominal time, is also in the execution id
/// <c>sched:{id}:{at}</c>).
/// </summary>
public sealed class ScheduleScenario(ApiHost api, ApiClient client, ResultSink sink, Action<string> log)
{
    public const string Scenario = "S10";

    public async Task RunAsync(int n, TimeSpan period, int fires, GcProbeClient? probe, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await client.PublishAsync(Workflows.Noop1Definition());

        // Warm-up: the schedule paths through the JIT (put, fire, read, delete), then a compacted baseline.
        var warm = Enumerable.Range(0, Math.Min(50, n)).Select(i => $"bench-warm-{i}").ToList();
        await PutAllAsync(warm, _ => Every("1s", null), cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(2.5), cts.Token);
        await ForAllAsync(warm, id => client.Http.DeleteAsync(Path(id), cts.Token), cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(1), cts.Token);
        var load = RunInfo.LoadAverage();
        var settings = Settings(n, period, fires, load);

        // Memory: N idle schedules (every 1 h: armed, none fires while measured) against none.
        var ids = Enumerable.Range(0, n).Select(i => $"bench-s{i:D5}").ToList();
        var gcBefore = probe is null ? null : await probe.CollectAsync(TimeSpan.FromSeconds(60));
        var rssBefore = api.RssBytes();
        await PutAllAsync(ids, _ => Every("1h", null), cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), cts.Token);
        var rssAfter = api.RssBytes();
        settings["rss_before_mb"] = Math.Round(rssBefore / 1048576.0, 1);
        settings["rss_after_mb"] = Math.Round(rssAfter / 1048576.0, 1);
        sink.Add(Scenario, $"rss_bytes_per_idle_schedule@{n}", "bytes", (rssAfter - rssBefore) / (double)n, settings);
        if (probe is not null && gcBefore is not null)
        {
            var gcAfter = await probe.CollectAsync(TimeSpan.FromSeconds(60));
            var rssAfterGc = api.RssBytes();
            var heapBefore = (long)gcBefore["heap_bytes"]!;
            var heapAfter = (long)gcAfter["heap_bytes"]!;
            settings["rss_after_gc_mb"] = Math.Round(rssAfterGc / 1048576.0, 1);
            settings["gc_heap_before_mb"] = Math.Round(heapBefore / 1048576.0, 1);
            settings["gc_heap_after_mb"] = Math.Round(heapAfter / 1048576.0, 1);
            sink.Add(Scenario, $"rss_bytes_per_idle_schedule_after_gc@{n}", "bytes", (rssAfterGc - rssBefore) / (double)n, settings);
            sink.Add(Scenario, $"gc_heap_bytes_per_idle_schedule@{n}", "bytes", (heapAfter - heapBefore) / (double)n, settings);
        }

        // Lateness: the same N schedules put again at the period, every fire on the same whole-period times, the first
        // a period after every put is done.
        var now = DateTimeOffset.UtcNow;
        var putBudget = TimeSpan.FromSeconds(Math.Max(3, n / 200.0));
        var first = new DateTimeOffset(((now + putBudget).UtcTicks / period.Ticks + 1) * period.Ticks, TimeSpan.Zero);
        var last = first + (period * (fires - 1));
        var every = $"{period.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
        await PutAllAsync(ids, _ => Every(every, first), cts.Token);
        settings["first_fire"] = first.ToString("O", CultureInfo.InvariantCulture);
        settings["puts_done_before_first_fire_s"] = Math.Round((first - DateTimeOffset.UtcNow).TotalSeconds, 2);
        var cpu0 = api.CpuSeconds();
        while (DateTimeOffset.UtcNow < last + period / 2 + TimeSpan.FromSeconds(2))
        {
            await Task.Delay(200, cts.Token);
        }

        var fireSeconds = (last - first + period).TotalSeconds;
        settings["api_cpu_share_of_a_core"] = Math.Round((api.CpuSeconds() - cpu0) / fireSeconds, 3);

        // Pause them all first, so reading does not race later fires; then every fire in the window and its execution.
        await ForAllAsync(ids, id => client.Http.PostAsync(Path(id) + "/pause", null, cts.Token), cts.Token);
        var lateness = new ConcurrentBag<double>();
        var handled = new ConcurrentBag<double>();
        var outcomes = new ConcurrentDictionary<string, int>();
        await ForAllAsync(ids, async id =>
        {
            var schedule = JsonNode.Parse(await client.Http.GetStringAsync(Path(id), cts.Token))!;
            foreach (var fire in schedule["lastFires"]!.AsArray())
            {
                var at = DateTimeOffset.Parse((string)fire!["at"]!, CultureInfo.InvariantCulture);
                if (at < first || at > last || (bool?)fire["manual"] == true)
                {
                    continue;
                }

                outcomes.AddOrUpdate((string)fire["outcome"]!, 1, (_, c) => c + 1);
                handled.Add((DateTimeOffset.Parse((string)fire["firedAt"]!, CultureInfo.InvariantCulture) - at).TotalMilliseconds);
                if ((string?)fire["executionId"] is { } executionId)
                {
                    var execution = JsonNode.Parse(await client.Http.GetStringAsync(new Uri($"/v1/executions/{Uri.EscapeDataString(executionId)}", UriKind.Relative), cts.Token))!;
                    lateness.Add((DateTimeOffset.Parse((string)execution["createdAt"]!, CultureInfo.InvariantCulture) - at).TotalMilliseconds);
                }
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        }, cts.Token);

        var sorted = lateness.Order().ToList();
        var handledSorted = handled.Order().ToList();
        settings["fires_expected"] = n * fires;
        settings["executions_measured"] = sorted.Count;
        settings["outcomes"] = new JsonObject(outcomes.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        settings["handled_p50_ms"] = Stats.Round(Stats.Percentile(handledSorted, 50));
        settings["handled_p99_ms"] = Stats.Round(Stats.Percentile(handledSorted, 99));
        log($"S10: {sorted.Count} of {n * fires} fires started an execution; outcomes {settings["outcomes"]!.ToJsonString()}");
        sink.Add(Scenario, $"fire_lateness_p50@{n}", "ms", Stats.Percentile(sorted, 50), settings);
        sink.Add(Scenario, $"fire_lateness_p99@{n}", "ms", Stats.Percentile(sorted, 99), settings);
        sink.Add(Scenario, $"fire_lateness_max@{n}", "ms", sorted.Count > 0 ? sorted[^1] : double.NaN, settings);
        sink.Add(Scenario, $"fires_missing@{n}", "fires", (n * fires) - sorted.Count, settings);
    }

    private static JsonObject Settings(int n, TimeSpan period, int fires, double load) => new()
    {
        ["mode"] = "embedded default (Api co-hosting one silo, in-memory storage and reminders, dashboard on)",
        ["loadavg_at_start"] = Math.Round(load, 2),
        ["cores"] = Environment.ProcessorCount,
        ["schedules"] = n,
        ["period_s"] = period.TotalSeconds,
        ["fires_per_schedule"] = fires,
        ["workflow"] = "bench-noop1 (one transform node)",
        ["method"] = "fresh Api with the GC probe; 50 warm-up schedules (every 1s) put, fired, deleted; full compacting GC; VmRSS and GC heap before; N schedules every 1h (idle: timer armed, no fire while measured) put by 32 senders; 2 s settle; VmRSS after; full compacting GC; VmRSS and GC heap after; the same N put again with every = the period and startAt = a whole-period time after the puts (all fires aligned); after the last fire + half a period + 2 s all are paused and each schedule's lastFires read; lateness = execution createdAt - fire at, for the fires from the first to the last (fires_per_schedule each)",
    };

    private static Uri Path(string id) => new($"/v1/schedules/{id}", UriKind.Relative);

    private static JsonObject Every(string every, DateTimeOffset? startAt)
    {
        var body = new JsonObject { ["workflowId"] = Workflows.Noop1, ["every"] = every, ["input"] = new JsonObject() };
        if (startAt is { } at)
        {
            body["startAt"] = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        return body;
    }

    private Task PutAllAsync(IReadOnlyList<string> ids, Func<string, JsonObject> body, CancellationToken ct) =>
        ForAllAsync(ids, id => client.Http.PutAsync(Path(id), new StringContent(body(id).ToJsonString(), Encoding.UTF8, "application/json"), ct), ct);

    /// <summary>One call per id, 32 at once; any error answer fails the scenario.</summary>
    private static Task ForAllAsync(IReadOnlyList<string> ids, Func<string, Task<HttpResponseMessage>> call, CancellationToken ct) =>
        Parallel.ForAsync(0, ids.Count, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (i, _) =>
        {
            using var response = await call(ids[i]);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"schedule {ids[i]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
        });
}
