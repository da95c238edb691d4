using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>The scenarios S1–S6 against one running Api.</summary>
/// <param name="api">The Api process, for its CPU time and memory.</param>
/// <param name="client">The HTTP client the scenarios send with.</param>
/// <param name="sink">Where each figure goes.</param>
/// <param name="timelineDir">Where S1 writes each request's due time and latency (CSV), to see whether slow requests cluster.</param>
public sealed partial class Scenarios(ApiHost api, ApiClient client, ResultSink sink, string? timelineDir = null)
{
    private static readonly byte[] Noop3Body = ApiClient.StartBody(Workflows.Noop3);
    private static readonly byte[] LongDelayBody = ApiClient.StartBody(Workflows.LongDelay);
    private static readonly byte[] WaitSignalBody = ApiClient.StartBody(Workflows.WaitSignal);

    private static JsonObject Settings(params (string Key, JsonNode? Value)[] extra)
    {
        var s = new JsonObject
        {
            ["mode"] = "embedded default (Api co-hosting one silo, in-memory storage and reminders, dashboard on)",
            ["steps_per_run"] = 3,
            ["loadavg_at_start"] = Math.Round(RunInfo.LoadAverage(), 2),
            ["cores"] = Environment.ProcessorCount,
        };
        foreach (var (k, v) in extra)
        {
            s[k] = v;
        }

        return s;
    }

    /// <summary>
    /// Publishes the workflows, runs a burst of executions so the pools are warm, then starts runs steadily at 500/s
    /// for <paramref name="steadySeconds"/> so tiered compilation has optimized the hot paths before anything is measured.
    /// </summary>
    public async Task WarmUpAsync(int runs, double steadySeconds)
    {
        await client.PublishAsync(Workflows.Noop3Definition());
        await client.PublishAsync(Workflows.LongDelayDefinition());
        await client.PublishAsync(Workflows.WaitSignalDefinition());
        var ids = new ConcurrentBag<string>();
        await Parallel.ForAsync(0, runs, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
        {
            if (await client.StartAsync(Noop3Body, ct) is { } id)
            {
                ids.Add(id);
            }
        });
        foreach (var id in ids.Take(20))
        {
            await client.GetAsync(id, "10s");
            await client.GetAsync(id);
        }

        // 5 starts every 10 ms, each tick's starts awaited before the next tick (a slow Api gets fewer, not a pile-up).
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var until = Stopwatch.StartNew();
        while (until.Elapsed.TotalSeconds < steadySeconds && await tick.WaitForNextTickAsync())
        {
            await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.StartAsync(Noop3Body)));
        }

        await Task.Delay(500);
    }

    /// <summary>Waits (up to <paramref name="max"/>) until the Api uses less than a third of a core, so backlog of one scenario does not bill the next.</summary>
    public async Task SettleAsync(TimeSpan max)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < max)
        {
            var c0 = api.CpuSeconds();
            await Task.Delay(500);
            if (api.CpuSeconds() - c0 < 0.17)
            {
                return;
            }
        }
    }

    // ------------------------------------------------------------------ S1
    /// <summary>
    /// Open loop: request i is due at t0 + i/rate; one scheduler thread sleeps (usleep) until a request is
    /// due and hands it to the thread pool; latency runs from the due time to the end of the response,
    /// so a stalled server or client is charged to every request behind it (no coordinated omission).
    /// </summary>
    public Task S1Async(int rate, double seconds) =>
        OpenLoopAsync("S1", "start_latency", async (http, ct) => await http.StartAsync(Noop3Body, ct) is not null, rate, seconds);

    /// <summary>
    /// The HTTP floor under S1: the same open loop against <c>GET /healthz</c>, which answers without Orleans,
    /// storage or a run. What S1 measures above it is AgentOrleans' own; what it measures here is Kestrel, the
    /// load tool and the machine.
    /// </summary>
    public Task S1fAsync(int rate, double seconds) =>
        OpenLoopAsync("S1f", "healthz_latency", async (http, ct) =>
        {
            using var response = await http.Http.GetAsync(new Uri("/healthz", UriKind.Relative), ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            return response.IsSuccessStatusCode;
        }, rate, seconds);

    private async Task OpenLoopAsync(string scenario, string metric, Func<ApiClient, CancellationToken, Task<bool>> send, int rate, double seconds)
    {
        var n = (int)(rate * seconds);
        var latency = new double[n];
        Array.Fill(latency, double.NaN);
        var errors = 0;
        var runtime0 = await RuntimeCounters.ReadAsync(client.Http);
        var apiCpu0 = api.CpuSeconds();
        var toolCpu0 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var clockOrigin = Stopwatch.GetTimestamp();
        var clock = Stopwatch.StartNew();
        var freq = (double)Stopwatch.Frequency;
        var t0 = clock.ElapsedTicks + (long)(0.02 * freq);
        var hardStop = t0 + (long)(((2 * seconds) + 1) * freq);
        // No pool thread is ever blocked here: with 2 cores the pool starts with 2 threads, and a blocked one
        // would add the pool's thread-injection delay to every request.
        var outstanding = 1;
        var allAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var schedulerDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Done()
        {
            if (Interlocked.Decrement(ref outstanding) == 0)
            {
                allAnswered.TrySetResult();
            }
        }

        var sent = 0;
        var settings = Settings(("offered_rate", rate), ("duration_s", seconds), ("requests", n), ("connections_max", 512));
        using var s1Client = new ApiClient(api.BaseAddress, 512, api.Bearer);
        using var abandon = new CancellationTokenSource();

        var scheduler = new Thread(() =>
        {
            for (var i = 0; i < n; i++)
            {
                var due = t0 + (long)(i * freq / rate);
                while (clock.ElapsedTicks < due)
                {
                    Precise.SleepUntil(clock, due);
                }

                if (clock.ElapsedTicks > hardStop)
                {
                    break;
                }

                Interlocked.Increment(ref outstanding);
                var index = i;
                ThreadPool.UnsafeQueueUserWorkItem(async _ =>
                {
                    try
                    {
                        if (!await send(s1Client, abandon.Token))
                        {
                            Interlocked.Increment(ref errors);
                        }

                        latency[index] = (clock.ElapsedTicks - due) * 1000.0 / freq;
                    }
                    catch (OperationCanceledException) when (abandon.IsCancellationRequested)
                    {
                        // Still unanswered at the bound: counted below with its wait so far.
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref errors);
                        latency[index] = (clock.ElapsedTicks - due) * 1000.0 / freq;
                    }

                    Done();
                }, null);
                sent = i + 1;
            }

            schedulerDone.TrySetResult();
        })
        { IsBackground = true, Priority = ThreadPriority.AboveNormal, Name = "S1 scheduler" };
        scheduler.Start();
        await schedulerDone.Task;
        var sendEnd = clock.ElapsedTicks;
        Done();
        var drained = await allAnswered.Task.WaitAsync(TimeSpan.FromSeconds(Math.Max(2, seconds * 2))).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        var end = clock.ElapsedTicks;
        var unanswered = Volatile.Read(ref outstanding);
        await abandon.CancelAsync();
        await allAnswered.Task.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        // Also saturated when the answers trailed the schedule by half its length: the rate was not sustained.
        var saturated = sent < n || !drained || (end - t0) / freq > 1.5 * seconds;
        for (var i = 0; i < n; i++)
        {
            if (double.IsNaN(latency[i]))
            {
                // Unsent or unanswered: the wait accumulated so far, a lower bound.
                var due = t0 + (long)(i * freq / rate);
                latency[i] = (end - due) * 1000.0 / freq;
            }
        }

        if (timelineDir is not null)
        {
            var lines = latency.Select((l, i) => FormattableString.Invariant($"{i * 1000.0 / rate:0.###},{l:0.###}"));
            // The first line gives the first due time on the monotonic clock (Stopwatch ticks), to line it up with profiles.
            File.WriteAllLines(Path.Combine(timelineDir, $"{scenario.ToLowerInvariant()}-{rate}-{DateTime.UtcNow:HHmmss}.csv"),
                [$"# t0_ticks={t0 + clockOrigin} ticks_per_s={Stopwatch.Frequency}", "due_ms,latency_ms", .. lines]);
        }

        var sorted = latency.Order().ToList();
        settings["api_cpu_s"] = Math.Round(api.CpuSeconds() - apiCpu0, 2);
        settings["load_tool_cpu_s"] = Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - toolCpu0, 2);
        settings["wall_s"] = Math.Round(clock.Elapsed.TotalSeconds, 2);
        settings["sent"] = sent;
        (await RuntimeCounters.ReadAsync(client.Http))?.AddDifference(runtime0, settings, sent);
        settings["errors"] = errors;
        settings["unanswered_at_bound"] = unanswered;
        settings["saturated"] = saturated;
        settings["bound"] = "sending stops at 2 x duration + 1 s; answers awaited for max(2 s, 2 x duration) more; requests unsent or unanswered by then count with their wait so far (a lower bound); saturated when that happened or the last answer came later than 1.5 x duration after the first due time";
        settings["achieved_rate"] = Math.Round(sent / ((sendEnd - t0) / freq), 1);
        settings["method"] = "open loop, latency from intended send time (usleep schedule, thread-pool senders, pooled HTTP/1.1 connections; the load tool's thread pool does not spin for work, so it leaves the cores to the Api and its own wake-ups count in the latency)";
        foreach (var p in new[] { 50.0, 99.0, 99.9 })
        {
            sink.Add(scenario, $"{metric}_p{p:0.#}@{rate}/s", "ms", Stats.Percentile(sorted, p), settings);
        }

        sink.Add(scenario, $"errors@{rate}/s", "requests", errors, settings);
    }

    // ------------------------------------------------------------------ S2
    /// <summary>Closed loop: C senders start runs back to back for D seconds; completed starts per second.</summary>
    public async Task S2Async(int concurrency, double seconds, string metric)
    {
        var settings = Settings(("senders", concurrency), ("duration_s", seconds),
            ("method", "closed loop: C async senders each POST back to back (HTTP/1.1, one connection each) for D s; successful starts / elapsed"));
        var ok = 0L;
        var errors = 0L;
        var apiCpu0 = api.CpuSeconds();
        var toolCpu0 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        var lat = new ConcurrentBag<double>();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < until)
            {
                var t = clock.ElapsedTicks;
                try
                {
                    if (await client.StartAsync(Noop3Body) is null)
                    {
                        Interlocked.Increment(ref errors);
                    }
                    else
                    {
                        Interlocked.Increment(ref ok);
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }

                lat.Add((clock.ElapsedTicks - t) * 1000.0 / Stopwatch.Frequency);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var sorted = lat.Order().ToList();
        settings["api_cpu_s"] = Math.Round(api.CpuSeconds() - apiCpu0, 2);
        settings["load_tool_cpu_s"] = Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - toolCpu0, 2);
        settings["starts"] = ok;
        settings["errors"] = errors;
        settings["latency_p50_ms"] = Math.Round(Stats.Percentile(sorted, 50), 3);
        settings["latency_p99_ms"] = Math.Round(Stats.Percentile(sorted, 99), 3);
        sink.Add("S2", metric, "starts/s", ok / elapsed, settings);
    }

    // ------------------------------------------------------------------ S3c
    /// <summary>
    /// Start to completed of one three-step run at a time, so nothing queues: POST, then one
    /// <c>GET ?wait=10s</c> that returns when the run is terminal; client-side time from sending the POST.
    /// </summary>
    public async Task S3cAsync(int runs)
    {
        var settings = Settings(("runs", runs),
            ("method", "sequential: POST /v1/executions, then GET /v1/executions/{id}?wait=10s; client-side time from sending the POST to reading the terminal status"));
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            if (await client.StartAsync(Noop3Body) is { } id && await client.GetAsync(id, "10s") is { } status && status.Status == "succeeded")
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        settings["succeeded"] = times.Count;
        sink.Add("S3c", "start_to_completed_p50", "ms", times.Count == runs ? Stats.Percentile(times, 50) : null, settings);
        sink.Add("S3c", "start_to_completed_p99", "ms", times.Count == runs ? Stats.Percentile(times, 99) : null, settings);
    }

    // ------------------------------------------------------------------ S3
    /// <summary>
    /// Drain: N three-step runs started by 32 senders as fast as they go; the clock runs from the first start
    /// to the latest <c>completedAt</c> (read back with one <c>GET ?wait=60s</c> per run after all were started).
    /// CPU: utime+stime of the Api process from before the first start to after the last status read.
    /// </summary>
    public async Task S3Async(int n, TimeSpan timeout)
    {
        var settings = Settings(("n", n), ("senders", 32), ("status_readers", 16),
            ("method", "start N runs (32 senders), then one GET /v1/executions/{id}?wait=60s per run (16 readers); runs/s = N / (latest completedAt - first start); CPU = Api utime+stime over starts + runs + status reads"));
        using var cts = new CancellationTokenSource(timeout);
        var writes0 = await StorageWrites.CountAsync();
        var cpu0 = api.CpuSeconds();
        var t0 = DateTimeOffset.UtcNow;
        var ids = new string?[n];
        var startErrors = 0;
        var sw = Stopwatch.StartNew();
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cts.Token }, async (i, ct) =>
        {
            try
            {
                ids[i] = await client.StartAsync(Noop3Body, ct);
            }
            catch (HttpRequestException)
            {
            }

            if (ids[i] is null)
            {
                Interlocked.Increment(ref startErrors);
            }
        });
        var startSeconds = sw.Elapsed.TotalSeconds;
        var latest = DateTimeOffset.MinValue;
        var failed = 0;
        var unfinished = 0;
        var gate = new Lock();
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cts.Token }, async (i, ct) =>
        {
            if (ids[i] is not { } id)
            {
                return;
            }

            var s = await client.GetAsync(id, "60s", ct);
            lock (gate)
            {
                if (s is { } st && ApiClient.IsTerminal(st.Status) && st.CompletedAt is { } c)
                {
                    if (c > latest)
                    {
                        latest = c;
                    }

                    if (st.Status != "succeeded")
                    {
                        failed++;
                    }
                }
                else
                {
                    unfinished++;
                }
            }
        });
        var cpu1 = api.CpuSeconds();

        // The same reads again, on terminal runs: what the status reads alone cost.
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cts.Token }, async (i, ct) =>
        {
            if (ids[i] is { } id)
            {
                await client.GetAsync(id, "60s", ct);
            }
        });
        var cpu2 = api.CpuSeconds();
        var drain = (latest - t0).TotalSeconds;
        var done = n - startErrors - unfinished;
        settings["start_errors"] = startErrors;
        settings["failed_runs"] = failed;
        settings["unfinished_runs"] = unfinished;
        settings["start_phase_s"] = Math.Round(startSeconds, 3);
        settings["drain_s"] = Math.Round(drain, 3);
        settings["status_read_cpu_ms_per_run"] = Math.Round((cpu2 - cpu1) * 1000 / n, 4);
        settings["cpu_clock_tick_ms"] = 10;
        sink.Add("S3", "runs_per_second", "runs/s", unfinished == 0 && startErrors == 0 ? done / drain : null, settings);
        sink.Add("S3", "api_cpu_ms_per_run", "ms", (cpu1 - cpu0) * 1000 / n, settings);
        if (writes0 is { } before && await StorageWrites.CountAsync() is { } after)
        {
            sink.Add("S3", "storage_writes_per_run", "writes", (double)(after - before) / n, settings);
        }

        sink.Add("S3", "api_cpu_ms_per_run_excl_status_read", "ms", ((cpu1 - cpu0) - (cpu2 - cpu1)) * 1000 / n, settings);
    }

    // ------------------------------------------------------------------ S3b
    /// <summary>Status reads while steps run: M executions parked in a one-hour delay; K sequential GETs over them.</summary>
    public async Task S3bAsync(int executions, int calls)
    {
        var settings = Settings(("running_executions", executions), ("calls", calls), ("readers", 1),
            ("method", "M executions of a workflow whose first node is a 1 h delay; one reader issues K sequential GET /v1/executions/{id} (ids round-robin), latency per call"));
        var ids = new List<string>();
        for (var i = 0; i < executions; i++)
        {
            if (await client.StartAsync(LongDelayBody) is { } id)
            {
                ids.Add(id);
            }
        }

        await Task.Delay(300);
        var lat = new double[calls];
        var notRunning = 0;
        for (var i = 0; i < calls; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var s = await client.GetAsync(ids[i % ids.Count]);
            lat[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (s is not { Status: "running" })
            {
                notRunning++;
            }
        }

        Array.Sort(lat);
        settings["not_running_answers"] = notRunning;
        sink.Add("S3b", "status_latency_p50", "ms", Stats.Percentile(lat, 50), settings);
        sink.Add("S3b", "status_latency_p99", "ms", Stats.Percentile(lat, 99), settings);
    }

    // ------------------------------------------------------------------ S4
    /// <summary>Event delivery: one SSE client per execution of many short steps; receive time − event <c>at</c>.</summary>
    /// <summary>Unmeasured S4 executions first, so the SSE path runs optimized code (tiered JIT) when measured.</summary>
    private const int WarmupExecutions = 5;

    public async Task S4Async(int executions, int nodes, int stepMs, TimeSpan timeout)
    {
        const int firstDelay = 300;
        await client.PublishAsync(Workflows.StepsDefinition(nodes, stepMs, firstDelay));
        var body = ApiClient.StartBody(Workflows.Steps(nodes, stepMs, firstDelay));
        var settings = Settings(("executions", executions), ("nodes", nodes), ("step", $"delay {stepMs}ms"), ("first_node", $"delay {firstDelay}ms"),
            ("warmup_executions", WarmupExecutions),
            ("method", "executions run one after another; one SSE client each (RawSseClient), connected during the first node; latency = client receive time (before parsing) - event 'at' (same clock); events stamped before the client was connected are left out; the first executions warm the SSE path up (as S1's warm-up does the start path) and are not measured"));
        var samples = new List<double>();
        var errors = 0;
        for (var e = -WarmupExecutions; e < executions; e++)
        {
            using var cts = new CancellationTokenSource(timeout);
            var id = await client.StartAsync(body) ?? throw new InvalidOperationException("S4 start failed");
            var sse = new RawSseClient(api.BaseAddress, id);
            var run = sse.RunAsync(cts.Token);
            await sse.Connected.Task;
            var connectedAt = DateTimeOffset.UtcNow;
            await run;
            if (sse.Error is not null || !sse.SawTerminal)
            {
                errors++;
            }

            if (e >= 0)
            {
                samples.AddRange(sse.Events.Values.Where(v => v.At >= connectedAt).Select(v => (v.Received - v.At).TotalMilliseconds));
            }
        }

        samples.Sort();
        settings["events_measured"] = samples.Count;
        settings["client_errors"] = errors;
        sink.Add("S4", "delivery_latency_p50", "ms", Stats.Percentile(samples, 50), settings);
        sink.Add("S4", "delivery_latency_p99", "ms", Stats.Percentile(samples, 99), settings);
        sink.Add("S4", "delivery_latency_max", "ms", samples.Count > 0 ? samples[^1] : null, settings);
    }

    // ------------------------------------------------------------------ S5
    /// <summary>
    /// SSE fan-out: K clients on one execution; for each event, the time until the LAST client has it
    /// (max over clients of receive time − event <c>at</c>).
    /// </summary>
    public async Task S5Async(int clients, int nodes, int stepMs, TimeSpan timeout)
    {
        var firstDelay = clients >= 500 ? 4000 : clients >= 50 ? 1500 : 300;
        await client.PublishAsync(Workflows.StepsDefinition(nodes, stepMs, firstDelay));
        var body = ApiClient.StartBody(Workflows.Steps(nodes, stepMs, firstDelay));
        var settings = Settings(("clients", clients), ("nodes", nodes), ("step", $"delay {stepMs}ms"), ("first_node", $"delay {firstDelay}ms"),
            ("warmup_rounds", 1),
            ("method", "K SSE clients (K HTTP/1.1 connections in this one process, each a raw socket with its own chunked/SSE decoder: RawSseClient) connect during the first node; one unmeasured round (same K) first; per event: max over clients of receive time - event 'at'; only events stamped after the last client connected count"));

        // One unmeasured round first: the fan-out path of both processes is then compiled to its final tier, as S4's warm-up does for one client.
        _ = await FanOutAsync(clients, body, timeout);
        var serverBefore = await DeliveryLagHistogram.ReadAsync(client.Http, ServerLagEventType);
        var (sse, allConnectedAt, connectSeconds) = await FanOutAsync(clients, body, timeout);
        var errors = sse.Count(c => c.Error is not null || !c.SawTerminal);
        var seqs = sse.SelectMany(c => c.Events.Where(kv => kv.Value.At >= allConnectedAt).Select(kv => kv.Key)).Distinct().Order().ToList();
        var last = new List<double>();
        var timeline = new List<string> { "seq,at,first_ms,median_ms,last_ms" };
        var missing = 0;
        foreach (var seq in seqs)
        {
            var latencies = new List<double>(sse.Count);
            DateTimeOffset at = default;
            foreach (var c in sse)
            {
                if (c.Events.TryGetValue(seq, out var v))
                {
                    at = v.At;
                    latencies.Add((v.Received - v.At).TotalMilliseconds);
                }
                else
                {
                    missing++;
                }
            }

            latencies.Sort();
            last.Add(latencies[^1]);
            timeline.Add(FormattableString.Invariant($"{seq},{at:O},{latencies[0]:0.###},{Stats.Percentile(latencies, 50):0.###},{latencies[^1]:0.###}"));
        }

        // Per event, how the clients' receive times spread: to see whether the slow events cluster (a pause) or grow (a queue).
        if (timelineDir is not null)
        {
            File.WriteAllLines(Path.Combine(timelineDir, $"s5-{clients}-{DateTime.UtcNow:HHmmss}.csv"), timeline);
        }

        last.Sort();
        settings["connect_all_s"] = Math.Round(connectSeconds, 3);
        settings["events_measured"] = last.Count;
        settings["client_errors"] = errors;
        settings["missing_deliveries"] = missing;
        settings["events_per_receive"] = Math.Round(sse.Sum(c => c.Events.Count) / (double)Math.Max(1, sse.Sum(c => c.Receives)), 2);
        sink.Add("S5", $"last_client_latency_p50@{clients}", "ms", Stats.Percentile(last, 50), settings);
        sink.Add("S5", $"last_client_latency_p99@{clients}", "ms", Stats.Percentile(last, 99), settings);

        // The server's share: when the Api wrote each event to each connection, from its own histogram.
        if (serverBefore is not null && await DeliveryLagHistogram.ReadAsync(client.Http, ServerLagEventType) is { } serverAfter)
        {
            var server = serverAfter.Since(serverBefore);
            var serverSettings = Settings(("clients", clients), ("nodes", nodes), ("step", $"delay {stepMs}ms"), ("writes", server.Count),
                ("method", $"the Api's agentorleans_events_delivery_lag_seconds histogram (written to the connection - event 'at', per client per event), {ServerLagEventType} events only (all after every client connected), read from /metrics before and after; percentile interpolated inside buckets of 1/2.5/5/10/25/50/100/250 ms"));
            sink.Add("S5", $"server_write_lag_p50@{clients}", "ms", server.PercentileMs(50), serverSettings);
            sink.Add("S5", $"server_write_lag_p99@{clients}", "ms", server.PercentileMs(99), serverSettings);
        }
    }

    /// <summary>Starts one execution and connects <paramref name="clients"/> SSE clients during its first node, 50 at a time; returns when every client has ended.</summary>
    private async Task<(List<RawSseClient> Clients, DateTimeOffset AllConnectedAt, double ConnectSeconds)> FanOutAsync(int clients, byte[] body, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var id = await client.StartAsync(body) ?? throw new InvalidOperationException("S5 start failed");
        var sse = Enumerable.Range(0, clients).Select(_ => new RawSseClient(api.BaseAddress, id)).ToList();
        var runs = new List<Task>();
        var connectClock = Stopwatch.StartNew();
        foreach (var chunk in sse.Chunk(50))
        {
            runs.AddRange(chunk.Select(c => Task.Run(() => c.RunAsync(cts.Token))));
            await Task.WhenAll(chunk.Select(c => c.Connected.Task));
        }

        var allConnectedAt = DateTimeOffset.UtcNow;
        var connectSeconds = connectClock.Elapsed.TotalSeconds;
        await Task.WhenAll(runs);
        return (sse, allConnectedAt, connectSeconds);
    }

    /// <summary>The event type S5's server-side figure counts: node.completed is never replayed at connect (the first comes when the connect node ends).</summary>
    private const string ServerLagEventType = "node.completed";

    // ------------------------------------------------------------------ S7
    /// <summary>The S7 Api: waiting executions leave memory after 5 s instead of 30 s, so the parked half is measured in minutes.</summary>
    public static IReadOnlyDictionary<string, string> SignalApiSettings { get; } = new Dictionary<string, string> { ["AgentOrleans__Executions__ParkAfter"] = "00:00:05" };

    /// <summary>
    /// Signal to the next node's start: N executions waiting for a signal, signalled one at a time, first while they are
    /// in memory, then N others after they have left it (ParkAfter 5 s); latency from just before the POST to the next
    /// node's <c>node.started</c> (its <c>at</c>, the Api's clock, the same machine's).
    /// </summary>
    public async Task S7Async(int n, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        foreach (var parked in new[] { false, true })
        {
            var ids = new List<string>();
            for (var i = 0; i < n; i++)
            {
                ids.Add(await client.StartAsync(WaitSignalBody, cts.Token) ?? throw new InvalidOperationException("S7: a start failed"));
            }

            foreach (var id in ids)
            {
                while ((await client.GetAsync(id, cancellationToken: cts.Token))?.Status != "waiting")
                {
                    await Task.Delay(5, cts.Token);
                }
            }

            if (parked)
            {
                // ParkAfter, and time for the last activations to go.
                await Task.Delay(TimeSpan.FromSeconds(8), cts.Token);
            }

            var latencies = new List<double>();
            var errors = 0;
            foreach (var id in ids)
            {
                var sent = DateTimeOffset.UtcNow;
                if (!await client.SignalAsync(id, "go", cts.Token))
                {
                    errors++;
                    continue;
                }

                while ((await client.GetAsync(id, "5s", cts.Token))?.Status is not ("succeeded" or "failed" or "cancelled" or "timed_out"))
                {
                }

                var next = (await client.EventsAsync(id, cts.Token))?.FirstOrDefault(e => e.Type == "node.started" && e.NodeId == "done");
                if (next is null)
                {
                    errors++;
                    continue;
                }

                latencies.Add((next.At - sent).TotalMilliseconds);
            }

            latencies.Sort();
            var settings = Settings(("executions", n), ("park_after", "5 s"), ("signal_errors", errors),
                ("method", "fresh Api (ParkAfter 5 s); N executions whose first node waits for signal 'go', signalled one at a time; latency = the next node's node.started 'at' - the time just before the POST; " + (parked ? "after 8 s, when they have left memory" : "as soon as all are waiting, in memory")));
            var phase = parked ? "parked" : "in_memory";
            sink.Add("S7", $"signal_to_next_node_p50_{phase}", "ms", Stats.Percentile(latencies, 50), settings);
            sink.Add("S7", $"signal_to_next_node_p99_{phase}", "ms", Stats.Percentile(latencies, 99), settings);
        }
    }

    // ------------------------------------------------------------------ S6, S6w
    /// <summary>S6: executions sleeping through a one-hour delay; S6w: executions waiting for a signal.</summary>
    public static string IdleScenario(IdleKind kind) => kind == IdleKind.Sleeping ? "S6" : "S6w";

    /// <summary>
    /// The idle scenarios' Api: a waiting execution leaves memory after ParkAfter (30 s by default), shortened so the K
    /// executions have left when memory is read; a delay longer than ParkAfter sleeps out of memory from its start either way.
    /// </summary>
    public static IReadOnlyDictionary<string, string> IdleApiSettings { get; } = new Dictionary<string, string> { ["AgentOrleans__Executions__ParkAfter"] = "00:00:02" };

    /// <summary>
    /// Memory per idle execution: K executions parked in a one-hour delay (S6) or waiting for a signal (S6w); VmRSS of
    /// the Api before and after. With the GC probe in the Api (<paramref name="probe"/>) the baseline is read after a full
    /// compacting collection, and a second figure after another one: what the executions still hold once no garbage is
    /// left, beside the GC's own count of live managed bytes.
    /// </summary>
    public async Task S6Async(IdleKind kind, int k, TimeSpan timeout, TimeSpan settle, GcProbeClient? probe = null, string dumpPrefix = "s6", TimeSpan extraSettle = default)
    {
        var scenario = IdleScenario(kind);
        var what = kind == IdleKind.Sleeping ? "whose first node is a 1 h delay" : "whose first node waits for a signal that never comes";
        var gc = probe is null ? "" : "; with the GC probe: a full compacting collection (LOH too, GCCollectionMode.Aggressive) just before VmRSS before, and another after VmRSS after, then VmRSS after GC";
        var settings = Settings(("executions", k), ("senders", 32), ("park_after", "2 s"),
            ("method", $"fresh Api process (ParkAfter 2 s), warmed up; 2 s settle (smoke 1 s); VmRSS before; K executions {what} (32 senders); ParkAfter + 3 s settle (smoke 1.5 s); VmRSS after; (after - before) / K{gc}. RSS includes the in-memory storage's copy of each execution's state (the embedded default's event log is in it), garbage not yet collected and heap headroom"));
        using var cts = new CancellationTokenSource(timeout);
        await Task.Delay(settle);
        var gcBefore = probe is null ? null : await probe.CollectAsync(TimeSpan.FromSeconds(60));
        var before = api.RssBytes();
        if (probe is not null)
        {
            await probe.DumpAsync(api.Pid, $"{dumpPrefix}-before");
        }

        var threadsBefore = api.Threads();
        var errors = 0;
        var body = kind == IdleKind.Sleeping ? LongDelayBody : WaitSignalBody;
        var sw = Stopwatch.StartNew();
        await Parallel.ForAsync(0, k, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cts.Token }, async (_, ct) =>
        {
            if (await client.StartAsync(body, ct) is null)
            {
                Interlocked.Increment(ref errors);
            }
        });
        var startSeconds = sw.Elapsed.TotalSeconds;
        // An extra settle lets the reminder service's refresh (30 s) load the reminders the parked runs registered.
        await Task.Delay(TimeSpan.FromSeconds(2) + settle + settle / 2 + extraSettle);
        var after = api.RssBytes();
        if (extraSettle > TimeSpan.Zero)
        {
            settings["extra_settle_s"] = extraSettle.TotalSeconds;
        }

        settings["rss_before_mb"] = Math.Round(before / 1048576.0, 1);
        settings["rss_after_mb"] = Math.Round(after / 1048576.0, 1);
        settings["threads_before"] = threadsBefore;
        settings["threads_after"] = api.Threads();
        settings["start_errors"] = errors;
        settings["start_rate"] = Math.Round(k / startSeconds, 1);
        var metric = kind == IdleKind.Sleeping ? "rss_bytes_per_idle_execution" : "rss_bytes_per_waiting_execution";
        var counted = (double)(k - errors);
        if (probe is not null && gcBefore is not null)
        {
            var gcAfter = await probe.CollectAsync(TimeSpan.FromSeconds(60));
            var afterGc = api.RssBytes();
            await probe.DumpAsync(api.Pid, $"{dumpPrefix}-after");
            var heapBefore = (long)gcBefore["heap_bytes"]!;
            var heapAfter = (long)gcAfter["heap_bytes"]!;
            settings["rss_after_gc_mb"] = Math.Round(afterGc / 1048576.0, 1);
            settings["gc_heap_before_mb"] = Math.Round(heapBefore / 1048576.0, 1);
            settings["gc_heap_after_mb"] = Math.Round(heapAfter / 1048576.0, 1);
            settings["gc_committed_before_mb"] = Math.Round((long)gcBefore["committed_bytes"]! / 1048576.0, 1);
            settings["gc_committed_after_mb"] = Math.Round((long)gcAfter["committed_bytes"]! / 1048576.0, 1);
            sink.Add(scenario, $"{metric}_after_gc@{k}", "bytes", (afterGc - before) / counted, settings);
            sink.Add(scenario, $"gc_heap_bytes_per_{(kind == IdleKind.Sleeping ? "idle" : "waiting")}_execution@{k}", "bytes", (heapAfter - heapBefore) / counted, settings);
        }

        sink.Add(scenario, $"{metric}@{k}", "bytes", (after - before) / counted, settings);
    }
}
