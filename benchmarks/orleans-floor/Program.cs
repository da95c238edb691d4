using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using AgentOrleans.Benchmarks.Floor;
using AgentOrleans.Benchmarks.Load;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

// The raw Orleans floor of the benchmark suite: what the substrate itself costs on this machine, with nothing of
// AgentOrleans on top. One in-process silo on 127.0.0.1, tuned as the product tunes it; three measurements,
// each repeated --reps times and bounded in time:
//   F1 sequential grain calls from 1 caller (calls/s, latency p50/p99 in µs),
//   F2 32 concurrent callers over 32 grains (calls/s),
//   F3 a memory-stream hop, publish at ~200/s -> explicit subscriber (latency p50/p99/max in ms),
//   F6 (asked for with --scenarios F6) memory per grain that registered a reminder and deactivated, the floor under S6/S6w,
//   F10 (asked for with --scenarios F10) lateness of K grain timers and K bare .NET timers at one period, the floor under S10.
var options = FloorOptions.Parse(args);
var loadAtStart = RunInfo.LoadAverage();
var total = Stopwatch.StartNew();
const string StreamProvider = "floor";

var siloPort = FreePort();
var gatewayPort = FreePort();
while (gatewayPort == siloPort)
{
    gatewayPort = FreePort();
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = false, Args = [] });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(siloPort, gatewayPort);
    silo.AddMemoryGrainStorage("PubSubStore");
    // F6: the embedded default's reminder service and minimum period (Grains/Hosting/AgentOrleansSiloExtensions).
    silo.UseInMemoryReminderService();
    silo.Configure<Orleans.Hosting.ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
    // As Grains/Hosting/AgentOrleansSiloExtensions.AddExecutionEventStreams with EventStreamOptions' defaults.
    silo.AddMemoryStreams(StreamProvider, streams =>
    {
        streams.ConfigurePartitioning(4);
        streams.ConfigurePullingAgent(agent => agent.Configure(o =>
        {
            o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(2);
            o.BatchContainerBatchSize = 100;
        }));
    });
});

using var host = builder.Build();
using (var startBound = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
{
    await host.StartAsync(startBound.Token);
}

Log($"silo up on 127.0.0.1:{siloPort} (gateway {gatewayPort}) in {total.Elapsed.TotalSeconds:0.0} s; load average {RunInfo.LoadAverage():0.00}");
var client = host.Services.GetRequiredService<IClusterClient>();
var sink = new FloorSink();
var callSeconds = options.Smoke ? 0.5 : 3.0;
var warmupSeconds = options.Smoke ? 0.2 : 1.0;
var events = options.Smoke ? 100 : 1000;
const int EventsPerSecond = 200;
const int Callers = 32;

if (options.Scenarios.Contains("F6"))
{
    // Memory first, in a process that has run nothing else; each repetition parks new grains and measures its own delta.
    for (var rep = 1; rep <= options.Reps; rep++)
    {
        foreach (var withReminder in new[] { false, true })
        {
            Log($"F6 {(withReminder ? "with reminder" : "plain")} K={options.F6N} repetition {rep}/{options.Reps} (load average {RunInfo.LoadAverage():0.00})");
            await MemoryFloor.RunAsync(client, sink, options.F6N, withReminder, TimeSpan.FromSeconds(options.Smoke ? 2 : 5), $"r{rep}-{withReminder}",
                extra => Settings(RunInfo.LoadAverage(), extra));
        }
    }
}

if (options.Scenarios.Contains("F10"))
{
    Log($"F10 K={options.F10N} every {options.F10Period.TotalSeconds:0.#} s, {options.F10Fires} fires each (load average {RunInfo.LoadAverage():0.00})");
    await TimerFloor.RunAsync(client, sink, options.F10N, options.F10Period, options.F10Fires, extra => Settings(RunInfo.LoadAverage(), extra));
}

if (options.Scenarios.Overlaps(["F1", "F2", "F3"]))
{
    // One untimed pass first (figures discarded): the first repetition would otherwise measure tier-0 code
    // (measured: F1 142k calls/s in the first repetition, 476k in the second).
    Log("warm-up pass (not recorded)");
    var measured = sink;
    sink = new FloorSink(); // discarded
    await F1(0);
    await F2(0);
    sink = measured;

    for (var rep = 1; rep <= options.Reps; rep++)
    {
        Log($"repetition {rep}/{options.Reps} (load average {RunInfo.LoadAverage():0.00})");
        await F1(rep);
        await F2(rep);
        await Task.Delay(500); // let the thread pool drain F2's 32 loops before the latency measurement
        await F3(rep);
    }
}

Log($"done in {total.Elapsed.TotalSeconds:0} s");
sink.Write(options.Out, options.Smoke ? "smoke" : "full", RunInfo.Machine(loadAtStart, "shared machine: other builds may have run at the same time; callers and silo share the process and the cores"), Versions(options.Root));
using (var stopBound = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
{
    try
    {
        await host.StopAsync(stopBound.Token);
    }
    catch (OperationCanceledException)
    {
        Log("silo stop timed out");
    }
}

return 0;

async Task F1(int rep)
{
    var grain = client.GetGrain<IPingGrain>(1_000_000 + rep);
    var load = RunInfo.LoadAverage();
    var warm = Stopwatch.StartNew();
    while (warm.Elapsed.TotalSeconds < warmupSeconds)
    {
        await grain.PingAsync();
    }

    var latencies = new List<double>(1 << 20);
    var bound = Stopwatch.GetTimestamp() + (long)(callSeconds * Stopwatch.Frequency);
    var start = Stopwatch.GetTimestamp();
    long now;
    do
    {
        var t0 = Stopwatch.GetTimestamp();
        await grain.PingAsync();
        now = Stopwatch.GetTimestamp();
        latencies.Add((now - t0) * 1_000_000.0 / Stopwatch.Frequency);
    }
    while (now < bound);

    var seconds = (now - start) / (double)Stopwatch.Frequency;
    latencies.Sort();
    var settings = Settings(load, ("callers", 1), ("grains", 1), ("duration_s", callSeconds), ("warmup_s", warmupSeconds),
        ("calls", latencies.Count), ("wall_s", Math.Round(seconds, 3)),
        ("method", "sequential await grain.PingAsync() on one grain from the silo's in-process IClusterClient; latency per call by Stopwatch"));
    sink.Add("F1", "calls_per_second", "calls/s", latencies.Count / seconds, settings);
    sink.Add("F1", "call_latency_p50", "µs", Stats.Percentile(latencies, 50), settings);
    sink.Add("F1", "call_latency_p99", "µs", Stats.Percentile(latencies, 99), settings);
}

async Task F2(int rep)
{
    var grains = Enumerable.Range(0, Callers).Select(i => client.GetGrain<IPingGrain>((rep * 1000) + i)).ToArray();
    var load = RunInfo.LoadAverage();
    async Task<long> Loop(IPingGrain grain, double seconds)
    {
        var bound = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        long calls = 0;
        while (Stopwatch.GetTimestamp() < bound)
        {
            await grain.PingAsync();
            calls++;
        }

        return calls;
    }

    await Task.WhenAll(grains.Select(g => Loop(g, warmupSeconds)));
    var sw = Stopwatch.StartNew();
    var counts = await Task.WhenAll(grains.Select(g => Loop(g, callSeconds)));
    var seconds = sw.Elapsed.TotalSeconds;
    var calls = counts.Sum();
    var settings = Settings(load, ("callers", Callers), ("grains", Callers), ("duration_s", callSeconds), ("warmup_s", warmupSeconds),
        ("calls", calls), ("wall_s", Math.Round(seconds, 3)),
        ("method", "32 concurrent loops, each awaiting PingAsync() on its own grain back to back, from the in-process IClusterClient"));
    sink.Add("F2", "calls_per_second", "calls/s", calls / seconds, settings);
}

async Task F3(int rep)
{
    var load = RunInfo.LoadAverage();
    var stream = client.GetStreamProvider(StreamProvider).GetStream<FloorEvent>(StreamId.Create("floor", Guid.NewGuid()));
    var latencies = new double[events];
    var received = 0;
    var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var handle = await stream.SubscribeAsync((e, _) =>
    {
        var ms = (Stopwatch.GetTimestamp() - e.SentTicks) * 1000.0 / Stopwatch.Frequency;
        if (e.Seq < 0 || e.Seq >= events)
        {
            return Task.CompletedTask; // warm-up
        }

        latencies[e.Seq] = ms;
        if (Interlocked.Increment(ref received) == events)
        {
            allIn.TrySetResult();
        }

        return Task.CompletedTask;
    });

    // Warm-up: a few events through the same stream, not counted (Seq < 0).
    for (var i = 0; i < 10; i++)
    {
        await stream.OnNextAsync(new FloorEvent(-1 - i, Stopwatch.GetTimestamp()));
    }

    await Task.Delay(200);

    var publishBound = Stopwatch.GetTimestamp() + (long)((events / (double)EventsPerSecond * 2 + 5) * Stopwatch.Frequency);
    var start = Stopwatch.GetTimestamp();
    var sent = 0;
    for (var i = 0; i < events && Stopwatch.GetTimestamp() < publishBound; i++)
    {
        var due = start + (long)(i * Stopwatch.Frequency / (double)EventsPerSecond);
        var wait = (due - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
        if (wait >= 1)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(wait));
        }

        await stream.OnNextAsync(new FloorEvent(i, Stopwatch.GetTimestamp()));
        sent++;
    }

    var publishSeconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
    await Task.WhenAny(allIn.Task, Task.Delay(TimeSpan.FromSeconds(10)));
    await handle.UnsubscribeAsync();
    var got = Volatile.Read(ref received);
    var measured = latencies.Where(l => l > 0).Order().ToList();
    var settings = Settings(load, ("events", events), ("offered_rate", EventsPerSecond), ("sent", sent), ("received", got),
        ("publish_s", Math.Round(publishSeconds, 3)),
        ("streams", "memory streams, 4 queues, pulling agent every 2 ms, batches of 100 (the product's EventStreamOptions defaults)"),
        ("method", "explicit subscription from the in-process IClusterClient's stream provider; one stream; OnNextAsync on a fixed schedule; latency = receive - send (Stopwatch ticks carried in the event)"),
        ("bound", "publishing stops at 2 x the schedule + 5 s; events awaited 10 s more; events not received by then are left out (received < sent)"));
    sink.Add("F3", "hop_latency_p50", "ms", Stats.Percentile(measured, 50), settings);
    sink.Add("F3", "hop_latency_p99", "ms", Stats.Percentile(measured, 99), settings);
    sink.Add("F3", "hop_latency_max", "ms", measured.Count > 0 ? measured[^1] : double.NaN, settings);
}

JsonObject Settings(double load, params (string Key, JsonNode? Value)[] extra)
{
    var s = new JsonObject
    {
        ["mode"] = "one in-process silo (localhost clustering on 127.0.0.1), memory grain storage, memory streams tuned as the product; logging at Warning; server GC",
        ["loadavg_at_start"] = Math.Round(load, 2),
        ["cores"] = Environment.ProcessorCount,
        ["reps"] = options.Reps,
    };
    foreach (var (k, v) in extra)
    {
        s[k] = v;
    }

    return s;
}

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    var port = ((IPEndPoint)l.LocalEndpoint).Port;
    l.Stop();
    return port;
}

static void Log(string message) => Console.Error.WriteLine($"[floor {DateTime.UtcNow:HH:mm:ss}] {message}");

static JsonObject Versions(string root)
{
    var versions = RunInfo.Versions(root);
    versions["orleans_assembly"] = typeof(IGrain).Assembly.GetName().Version?.ToString();
    return versions;
}

public sealed class FloorOptions
{
    public bool Smoke { get; private set; }
    public int Reps { get; private set; } = 3;
    public string Root { get; private set; } = FindRoot();
    public string Out { get; private set; } = "";
    public HashSet<string> Scenarios { get; private set; } = ["F1", "F2", "F3"];
    public int F6N { get; private set; } = 100_000;
    public int F10N { get; private set; } = 1000;
    public TimeSpan F10Period { get; private set; } = TimeSpan.FromSeconds(10);
    public int F10Fires { get; private set; } = 7;

    public static FloorOptions Parse(string[] args)
    {
        var o = new FloorOptions();
        int? reps = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--smoke":
                    o.Smoke = true;
                    break;
                case "--reps":
                    reps = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--out":
                    o.Out = args[++i];
                    break;
                case "--root":
                    o.Root = args[++i];
                    break;
                case "--scenarios":
                    o.Scenarios = [.. args[++i].Split(',')];
                    break;
                case "--f6-n":
                    o.F6N = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--f10-n":
                    o.F10N = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--f10-period":
                    o.F10Period = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--f10-fires":
                    o.F10Fires = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"unknown argument {args[i]}; usage: OrleansFloor [--smoke] [--reps N] [--out FILE] [--root DIR] [--scenarios F1,F2,F3,F6,F10] [--f6-n K] [--f10-n K] [--f10-period S] [--f10-fires N]");
            }
        }

        o.Reps = Math.Max(1, reps ?? (o.Smoke ? 1 : 3));
        if (o.Out.Length == 0)
        {
            o.Out = Path.Combine(o.Root, "benchmarks", "results", o.Smoke ? "orleans-floor-smoke.json" : "orleans-floor.json");
        }

        return o;
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Directory.Packages.props")))
            {
                return d.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

/// <summary>Collects one value per repetition; written in the suite's results format (median of the reps, min–max).</summary>
public sealed class FloorSink
{
    public const string System = "orleans";
    public const string Variant = "raw-floor";
    private readonly List<Line> _lines = [];

    public void Add(string scenario, string metric, string unit, double value, JsonObject settings, string variant = Variant)
    {
        var line = new Line(scenario, variant, metric, unit, FiguresFile.Recorded(value), settings);
        _lines.Add(line);
        FiguresFile.Echo($"{scenario} {(variant == Variant ? "" : variant + " ")}{metric}", line.Value, unit);
    }

    public void Write(string path, string mode, JsonObject machine, JsonObject versions) =>
        FiguresFile.Write(path, System, mode, machine, versions, _lines);
}
