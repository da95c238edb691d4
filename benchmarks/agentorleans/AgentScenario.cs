using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>S11's sizes and knobs (see benchmarks/README.md).</summary>
public sealed record AgentSettings(string ApiDll, string SimulatorDll, string LogDir, int[] Sizes, int Tokens, int TokenMs, int WarmUp, TimeSpan Timeout);

/// <summary>
/// S11 (issue 24's "S9, the agent workload"): N concurrent agent runs of 3 model turns of <c>Tokens</c> streamed
/// tokens each and 2 tool calls (one a child workflow), one SSE client per run, on the embedded Api and the LLM
/// simulator; beside it the floor: the same N × 3 streams read straight from the simulator. A few clients drop their
/// connection mid-run and come back with <c>Last-Event-ID</c>; every client counts lost and duplicated tokens.
/// </summary>
public sealed class AgentScenario(AgentSettings settings, ResultSink sink, Action<string> log)
{
    public const string Scenario = "S11";
    private const int Turns = 3;
    private const string Floor = "simulator-direct";
    private static readonly TimeSpan ReconnectAfter = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync()
    {
        await using var simulator = await SimulatorHost.StartAsync(settings.SimulatorDll, Path.Combine(settings.LogDir, "s11-simulator.log"), TimeSpan.FromSeconds(60));
        foreach (var n in settings.Sizes)
        {
            log($"{Scenario} floor, N={n} straight from the simulator (load average {RunInfo.LoadAverage():0.##})");
            await FloorAsync(simulator, n).WaitAsync(settings.Timeout);
            log($"{Scenario} N={n} agent runs (fresh Api; load average {RunInfo.LoadAverage():0.##})");
            await AgentsAsync(simulator, n).WaitAsync(settings.Timeout + TimeSpan.FromSeconds(120));
        }
    }

    private async Task FloorAsync(SimulatorHost simulator, int n)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4096, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        { Timeout = Timeout.InfiniteTimeSpan };
        await new DirectStreamClient(http, simulator.BaseAddress, AgentWorkflows.Model(5, 1), new TokenTally(null)).RunAsync(Turns, CancellationToken.None);
        var clients = Enumerable.Range(0, n).Select(_ => new DirectStreamClient(http, simulator.BaseAddress, AgentWorkflows.Model(settings.Tokens, settings.TokenMs), new TokenTally([]))).ToList();
        using var cts = new CancellationTokenSource(settings.Timeout);
        using var probe = new Probe(simulator.Pid, null);
        await Task.WhenAll(clients.Select(c => c.RunAsync(Turns, cts.Token)));
        var wall = probe.Stop();
        var tallies = clients.Select(c => c.Tally).ToList();
        Record(Floor, n, wall, tallies, tallies, probe, clients.Count(c => c.Error is not null), reconnects: 0, extra: null);
    }

    private async Task AgentsAsync(SimulatorHost simulator, int n)
    {
        var apiSettings = new Dictionary<string, string>
        {
            ["AgentOrleans__Llm__Providers__default__BaseUrl"] = simulator.BaseUrl,
            ["AgentOrleans__Llm__Providers__default__Model"] = "sim-fast",
            ["AgentOrleans__Http__AllowedHosts__1"] = "localhost",
        };
        await using var api = await ApiHost.StartAsync(settings.ApiDll, Path.Combine(settings.LogDir, $"s11-api-{n}.log"), TimeSpan.FromSeconds(60), apiSettings);
        using var client = new ApiClient(api.BaseAddress, 4096);
        await client.PublishAsync(AgentWorkflows.ChildDefinition());
        await client.PublishAsync(AgentWorkflows.Definition(settings.Tokens, settings.TokenMs));
        await client.PublishAsync(AgentWorkflows.Definition(20, 1));

        // Warm-up: short agent runs of the same shape (20 tokens at 1 ms), each read by its SSE client, not measured.
        await StartAndWatchAsync(api, client, AgentWorkflows.Id(20, 1), settings.WarmUp, 0, measure: false, CancellationToken.None).WaitAsync(settings.Timeout);
        await new Scenarios(api, client, sink).SettleAsync(TimeSpan.FromSeconds(20));

        var writesBefore = await StorageWrites.CountAsync();
        var reconnects = Math.Clamp(n / 100, 1, 10);
        using var probe = new Probe(simulator.Pid, api.Pid);
        using var cts = new CancellationTokenSource(settings.Timeout);
        var watches = await StartAndWatchAsync(api, client, AgentWorkflows.Id(settings.Tokens, settings.TokenMs), n, reconnects, measure: true, cts.Token);
        var wall = probe.Stop(watches.Select(w => w.EndedAt).Max());
        var writesAfter = await StorageWrites.CountAsync();
        var extra = new JsonObject();
        if (writesBefore is { } wb && writesAfter is { } wa)
        {
            extra["storage_writes_per_run"] = (double)(wa - wb) / n;
        }

        var steady = watches.Skip(reconnects).Select(w => w.Tally).ToList();
        var reconnected = watches.Take(reconnects).Select(w => w.Tally).ToList();
        Record(ResultSink.Variant, n, wall, watches.Select(w => w.Tally).ToList(), steady, probe,
            watches.Count(w => !w.Succeeded), watches.Count(w => w.Reconnected), extra, reconnected);
        foreach (var failed in watches.Where(w => !w.Succeeded).Take(3))
        {
            log($"  a run did not succeed: {failed.Error ?? "its terminal event was not execution.completed"}");
        }
    }

    /// <summary>Starts <paramref name="n"/> runs with 32 senders, each followed at once by its SSE client; the first <paramref name="reconnects"/> drop mid-run and come back.</summary>
    private async Task<List<AgentRunWatch>> StartAndWatchAsync(ApiHost api, ApiClient client, string workflowId, int n, int reconnects, bool measure, CancellationToken cancellationToken)
    {
        var body = ApiClient.StartBody(workflowId);
        var watches = new AgentRunWatch?[n];
        var reading = new Task?[n];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(32, n)).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < n; i = Interlocked.Increment(ref next))
            {
                var id = await client.StartAsync(body, cancellationToken) ?? throw new InvalidOperationException($"start of {workflowId} refused");
                var tally = new TokenTally(measure && i >= reconnects ? [] : null);
                // Dropped halfway through the second turn, so the replay spans a turn in flight.
                var watch = new AgentRunWatch(api.BaseAddress, id, tally, i < reconnects ? settings.Tokens * 3 / 2 : null, ReconnectAfter);
                watches[i] = watch;
                reading[i] = watch.RunAsync(cancellationToken);
            }
        }));
        await Task.WhenAll(reading!);
        return [.. watches.OfType<AgentRunWatch>()];
    }

    private void Record(string variant, int n, double wall, List<TokenTally> all, List<TokenTally> measured, Probe probe, int failed, int reconnects, JsonObject? extra, List<TokenTally>? reconnected = null)
    {
        var expected = Turns * settings.Tokens;
        var tokens = all.Sum(t => (long)t.Distinct);
        var latencies = measured.SelectMany(t => t.LatenciesMs ?? []).Order().ToList();
        var settingsJson = new JsonObject
        {
            ["concurrent_runs"] = n,
            ["turns"] = Turns,
            ["tokens_per_turn"] = settings.Tokens,
            ["token_interval_ms"] = settings.TokenMs,
            ["tool_calls_per_run"] = variant == Floor ? 0 : 2,
            ["wall_s"] = Math.Round(wall, 3),
            ["tokens_delivered"] = tokens,
            ["latencies_measured"] = latencies.Count,
            ["simulator_cpu_s"] = Math.Round(probe.SimulatorCpu, 2),
            ["load_tool_cpu_s"] = Math.Round(probe.ToolCpu, 2),
            ["api_cpu_s"] = probe.ApiPid is null ? null : Math.Round(probe.ApiCpu, 2),
            ["rss_before_bytes"] = probe.RssBefore,
            ["rss_peak_bytes"] = probe.RssPeak,
            ["clients_reconnected"] = reconnects,
            ["coalescing"] = variant == Floor ? "none: one SSE chunk per token" : "the Api's progress flush, 50 ms (node.progress events)",
            ["loadavg_at_start"] = probe.LoadAtStart,
            ["loadavg_at_end"] = RunInfo.LoadAverage(),
        };
        void Add(string metric, string unit, double? value) => sink.Add(Scenario, $"{metric}@{n}", unit, value, settingsJson, variant);
        Add("runs_per_second", "runs/s", n / wall);
        Add("tokens_per_second", "tokens/s", tokens / wall);
        Add("token_delivery_p50", "ms", Stats.Percentile(latencies, 50));
        Add("token_delivery_p99", "ms", Stats.Percentile(latencies, 99));
        Add("token_delivery_max", "ms", latencies.Count > 0 ? latencies[^1] : null);
        Add("runs_failed", "runs", failed);
        Add("tokens_lost", "tokens", all.Sum(t => (double)Math.Max(0, expected - t.Distinct)));
        Add("tokens_duplicated", "tokens", all.Sum(t => (double)(t.Received - t.Distinct)));
        Add("simulator_cpu_ms_per_1000_tokens", "ms", probe.SimulatorCpu * 1000 / (tokens / 1000.0));
        if (probe.ApiPid is not null)
        {
            Add("cpu_ms_per_1000_tokens", "ms", probe.ApiCpu * 1000 / (tokens / 1000.0));
            Add("cpu_ms_per_run", "ms", probe.ApiCpu * 1000 / n);
            Add("rss_bytes_per_active_run", "bytes", (double)(probe.RssPeak - probe.RssBefore) / n);
        }

        if (reconnected is { Count: > 0 })
        {
            Add("reconnect_tokens_lost", "tokens", reconnected.Sum(t => (double)Math.Max(0, expected - t.Distinct)));
            Add("reconnect_tokens_duplicated", "tokens", reconnected.Sum(t => (double)(t.Received - t.Distinct)));
        }

        foreach (var (metric, value) in extra ?? [])
        {
            Add(metric, "writes", value!.GetValue<double>());
        }
    }

    /// <summary>CPU of the simulator, the Api and this tool, and the Api's peak VmRSS (sampled every 100 ms), from creation to <see cref="Stop"/>.</summary>
    private sealed class Probe : IDisposable
    {
        private readonly int _simulator;
        private readonly double _simulatorCpu0;
        private readonly double _apiCpu0;
        private readonly double _toolCpu0 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampler;

        public Probe(int simulator, int? api)
        {
            _simulator = simulator;
            ApiPid = api;
            _simulatorCpu0 = ProcStats.CpuSeconds(simulator);
            _apiCpu0 = api is { } a ? ProcStats.CpuSeconds(a) : 0;
            RssBefore = api is { } b ? ProcStats.RssBytes(b) : 0;
            RssPeak = RssBefore;
            _sampler = api is { } pid ? SampleAsync(pid) : Task.CompletedTask;
        }

        public int? ApiPid { get; }

        public double LoadAtStart { get; } = RunInfo.LoadAverage();

        public long RssBefore { get; }

        public long RssPeak { get; private set; }

        public double SimulatorCpu { get; private set; }

        public double ApiCpu { get; private set; }

        public double ToolCpu { get; private set; }

        /// <summary>Stops the clocks; the wall time from creation to <paramref name="end"/> (default now), in seconds.</summary>
        public double Stop(DateTimeOffset? end = null)
        {
            SimulatorCpu = ProcStats.CpuSeconds(_simulator) - _simulatorCpu0;
            ApiCpu = ApiPid is { } a ? ProcStats.CpuSeconds(a) - _apiCpu0 : 0;
            ToolCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - _toolCpu0;
            _stop.Cancel();
            return ((end ?? DateTimeOffset.UtcNow) - _start).TotalSeconds;
        }

        public void Dispose() => _stop.Dispose();

        private async Task SampleAsync(int pid)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    RssPeak = Math.Max(RssPeak, ProcStats.RssBytes(pid));
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }
    }
}
