using System.Diagnostics;
using System.Globalization;
using AgentOrleans.Benchmarks.Load;

// AgentOrleans load benchmarks S1–S6 against the Api's embedded default, started as a child process,
// and S8 (kill -9 of a silo mid-drain) against two Silo processes and the Api as their client.
//   dotnet LoadBench.dll [--smoke] [--reps N] [--out FILE] [--api-dll PATH] [--scenarios S1,S2,...]
//   dotnet LoadBench.dll --scenarios S8 --redis 127.0.0.1:6380 --postgres 'Host=...' [--s8-membership tuned,default]
// See benchmarks/README.md.
var options = Options.Parse(args);
ThreadPool.SetMinThreads(Math.Max(64, Environment.ProcessorCount * 8), 64);
var lines = Path.ChangeExtension(options.Out, null) + ".lines.jsonl";
File.WriteAllText(lines, "");
var sink = new ResultSink(lines);
var loadAtStart = RunInfo.LoadAverage();
var failed = false;
var total = Stopwatch.StartNew();
Directory.CreateDirectory(options.LogDir);

void Log(string message) => Console.Error.WriteLine($"[agentorleans {DateTime.UtcNow:HH:mm:ss}] {message}");

async Task<ApiHost> StartApiAsync(int rep, IReadOnlyDictionary<string, string>? settings = null)
{
    var host = await ApiHost.StartAsync(options.ApiDll, Path.Combine(options.LogDir, $"api-rep{rep}.log"), TimeSpan.FromSeconds(60), settings);
    Log($"Api pid {host.Pid} on {host.BaseAddress}");
    return host;
}

for (var rep = 1; rep <= options.Reps; rep++)
{
    Log($"repetition {rep}/{options.Reps}");
    var steps = new List<(string Name, Func<Scenarios, Task> Run, TimeSpan Timeout)>();
    foreach (var rate in options.Rates)
    {
        steps.Add(($"S1f @{rate}/s", s => s.S1fAsync(rate, options.Duration), TimeSpan.FromSeconds((options.Duration * 2) + 60)));
        steps.Add(($"S1 @{rate}/s", s => s.S1Async(rate, options.Duration), TimeSpan.FromSeconds((options.Duration * 2) + 60)));
    }

    steps.Add(("S2 C=1", s => s.S2Async(1, options.S2Seconds, "max_start_rate_1_sender"), TimeSpan.FromSeconds(options.S2Seconds + 60)));
    steps.Add(("S2 C=32", s => s.S2Async(32, options.S2Seconds, "max_start_rate"), TimeSpan.FromSeconds(options.S2Seconds + 60)));
    steps.Add(("S3", s => s.S3Async(options.N, options.ScenarioTimeout), options.ScenarioTimeout + TimeSpan.FromSeconds(10)));
    steps.Add(("S3b", s => s.S3bAsync(options.S3bExecutions, options.S3bCalls), options.ScenarioTimeout));
    steps.Add(("S3c", s => s.S3cAsync(options.Smoke ? 30 : 300), options.ScenarioTimeout));
    steps.Add(("S4", s => s.S4Async(options.S4Executions, 50, 5, TimeSpan.FromSeconds(60)), options.ScenarioTimeout));
    foreach (var k in options.S5Clients)
    {
        steps.Add(($"S5 K={k}", s => s.S5Async(k, 50, 10, TimeSpan.FromSeconds(90)), TimeSpan.FromSeconds(200)));
    }

    steps = [.. steps.Where(s => options.Scenarios.Contains(s.Name.Split(' ')[0]))];
    ApiHost? api = null;
    ApiClient? client = null;
    try
    {
        foreach (var (name, run, timeout) in steps)
        {
            if (api is null)
            {
                api = await StartApiAsync(rep);
                client = new ApiClient(api.BaseAddress, 4096);
                await new Scenarios(api, client, sink).WarmUpAsync(options.WarmUp, options.WarmUpSeconds).WaitAsync(TimeSpan.FromSeconds(options.WarmUpSeconds + 75));
            }

            Log($"{name} (load average {RunInfo.LoadAverage():0.##})");
            try
            {
                var scenarios = new Scenarios(api, client!, sink, options.LogDir);
                await scenarios.SettleAsync(options.Smoke ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(20));
                await run(scenarios).WaitAsync(timeout);
                await Task.Delay(options.Pause);
            }
            catch (Exception ex)
            {
                failed = true;
                Log($"{name} failed: {ex.GetType().Name}: {ex.Message}; restarting the Api for the rest of the repetition");
                client!.Dispose();
                await api.DisposeAsync();
                api = null;
            }
        }
    }
    finally
    {
        client?.Dispose();
        if (api is not null)
        {
            await api.DisposeAsync();
        }
    }

    // S7 in a fresh process with a short ParkAfter: a signal to a run in memory and to one that left it.
    if (options.Scenarios.Contains("S7"))
    {
        Log($"S7 (fresh Api; load average {RunInfo.LoadAverage():0.##})");
        try
        {
            await using var host = await StartApiAsync(rep, Scenarios.SignalApiSettings);
            using var c = new ApiClient(host.BaseAddress, 64);
            var s = new Scenarios(host, c, sink);
            await s.WarmUpAsync(options.WarmUp, steadySeconds: 0).WaitAsync(TimeSpan.FromSeconds(60));
            await s.S7Async(options.Smoke ? 20 : 200, options.ScenarioTimeout).WaitAsync(options.ScenarioTimeout + TimeSpan.FromSeconds(10));
        }
        catch (Exception ex)
        {
            failed = true;
            Log($"S7 failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    // S10 in a fresh process with the GC probe: memory per idle schedule, then the lateness of every fire of N schedules.
    if (options.Scenarios.Contains("S10"))
    {
        Log($"S10 N={options.S10N} every {options.S10Period.TotalSeconds:0.#} s, {options.S10Fires} fires each (fresh Api; load average {RunInfo.LoadAverage():0.##})");
        try
        {
            var apiSettings = new Dictionary<string, string>();
            GcProbeClient? probe = null;
            if (File.Exists(options.GcProbeDll))
            {
                var requestFile = Path.Combine(options.LogDir, $"gc-probe-{Environment.ProcessId}-S10-{rep}");
                foreach (var (key, value) in GcProbeClient.ApiEnvironment(options.GcProbeDll, requestFile))
                {
                    apiSettings[key] = value;
                }

                probe = new GcProbeClient(requestFile, null);
            }

            await using var host = await StartApiAsync(rep, apiSettings);
            using var c = new ApiClient(host.BaseAddress, 64);
            var bound = options.S10Period * (options.S10Fires + 2) + TimeSpan.FromSeconds(180);
            await new ScheduleScenario(host, c, sink, Log).RunAsync(options.S10N, options.S10Period, options.S10Fires, probe, bound).WaitAsync(bound + TimeSpan.FromSeconds(10));
        }
        catch (Exception ex)
        {
            failed = true;
            Log($"S10 failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    // S6 and S6w in a fresh process per size: what a sleeping or a waiting execution adds to a warmed-up Api.
    foreach (var idle in new[] { IdleKind.Sleeping, IdleKind.Waiting }.Where(i => options.Scenarios.Contains(Scenarios.IdleScenario(i))))
    {
        foreach (var k in options.S6Sizes)
        {
            var scenario = Scenarios.IdleScenario(idle);
            Log($"{scenario} K={k} (fresh Api; load average {RunInfo.LoadAverage():0.##})");
            try
            {
                // The GC probe (benchmarks/gc-probe, a startup hook) when built: a compacted baseline and a figure after a full GC.
                var apiSettings = new Dictionary<string, string>(Scenarios.IdleApiSettings);
                GcProbeClient? probe = null;
                if (File.Exists(options.GcProbeDll))
                {
                    var requestFile = Path.Combine(options.LogDir, $"gc-probe-{Environment.ProcessId}-{scenario}-{k}-{rep}");
                    foreach (var (key, value) in GcProbeClient.ApiEnvironment(options.GcProbeDll, requestFile))
                    {
                        apiSettings[key] = value;
                    }

                    probe = new GcProbeClient(requestFile, options.GcDumpDir);
                }

                await using var host = await StartApiAsync(rep, apiSettings);
                using var c = new ApiClient(host.BaseAddress, 256);
                var s = new Scenarios(host, c, sink);
                await s.WarmUpAsync(options.WarmUp, steadySeconds: 0).WaitAsync(TimeSpan.FromSeconds(60));
                await s.S6Async(idle, k, options.ScenarioTimeout, options.Smoke ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2), probe, $"{scenario}-{k}-rep{rep}", options.S6ExtraSettle)
                    .WaitAsync(options.ScenarioTimeout + TimeSpan.FromSeconds(probe is null ? 30 : 300));
            }
            catch (Exception ex)
            {
                failed = true;
                Log($"{scenario} K={k} failed: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    // S9 in fresh processes, auth off, on, on, off (ABBA, so a drift of the machine's load falls on both): what an
    // API key costs per run and at the start's p99; off against off and on against on is the noise floor.
    if (options.Scenarios.Contains("S9"))
    {
        // A key as `keys new` makes one (the tool references no product code): ao_ and 256 random bits, stored as its SHA-256.
        var key = "ao_" + System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var on = new Dictionary<string, string>
        {
            ["AgentOrleans__Auth__Keys__bench__Hash"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))),
            ["AgentOrleans__Auth__Keys__bench__Scopes"] = "workflows:write,executions:start,executions:read,executions:cancel,executions:signal,admin",
        };
        var rounds = new[] { "auth-off-1", "auth-on-1", "auth-on-2", "auth-off-2" };
        foreach (var round in rounds)
        {
            Log($"S9 {round} (fresh Api; load average {RunInfo.LoadAverage():0.##})");
            try
            {
                var auth = round.StartsWith("auth-on", StringComparison.Ordinal);
                await using var host = await StartApiAsync(rep, auth ? on : null);
                host.Bearer = auth ? key : null;
                using var c = new ApiClient(host.BaseAddress, 64, host.Bearer);
                var s = new Scenarios(host, c, sink);
                sink.VariantOverride = round;
                await s.WarmUpAsync(options.WarmUp, steadySeconds: options.Smoke ? 1 : 5).WaitAsync(TimeSpan.FromSeconds(90));
                await s.S9RoundAsync(options.Smoke ? 300 : options.S9N, options.Rates[0], options.Duration, options.ScenarioTimeout).WaitAsync(options.ScenarioTimeout + TimeSpan.FromSeconds(30));
            }
            catch (Exception ex)
            {
                failed = true;
                Log($"S9 {round} failed: {ex.GetType().Name}: {ex.Message}");
            }
            finally
            {
                sink.VariantOverride = null;
            }
        }

        foreach (var (metric, unit) in new[] { ("api_cpu_ms_per_run", "ms"), ($"start_latency_p99@{options.Rates[0]}/s", "ms") })
        {
            double? Mean(params string[] variants) => variants.Select(v => sink.Last("S9", metric, v)).ToList() is var values && values.All(v => v is not null) ? values.Average() : null;
            double? Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? Math.Round(x / y, 4) : null;
            var settings = new System.Text.Json.Nodes.JsonObject { ["metric"] = metric, ["unit"] = unit, ["rounds"] = string.Join(", ", rounds) };
            sink.Add("S9", $"{metric}_ratio_on_off", "ratio", Ratio(Mean("auth-on-1", "auth-on-2"), Mean("auth-off-1", "auth-off-2")), settings, "auth");
            sink.Add("S9", $"{metric}_ratio_off2_off1", "ratio", Ratio(Mean("auth-off-2"), Mean("auth-off-1")), settings, "auth");
            sink.Add("S9", $"{metric}_ratio_on2_on1", "ratio", Ratio(Mean("auth-on-2"), Mean("auth-on-1")), settings, "auth");
        }
    }

    // S11, the agent workload: the floor (the simulator straight to its clients), then N agent runs on a fresh Api per size.
    if (options.Scenarios.Contains(AgentScenario.Scenario))
    {
        try
        {
            var agent = new AgentSettings(options.ApiDll, options.SimulatorDll, options.LogDir, options.Smoke ? [10] : options.S11Sizes,
                options.S11Tokens, options.S11TokenMs, options.Smoke ? 20 : 200, options.ScenarioTimeout);
            await new AgentScenario(agent, sink, Log).RunAsync();
        }
        catch (Exception ex)
        {
            failed = true;
            Log($"S11 failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    // W1 in a fresh Api: webhook delivery lag at a fixed event rate, and the bare POST round trip beside it.
    if (options.Scenarios.Contains("W1"))
    {
        Log($"W1 (fresh Api; load average {RunInfo.LoadAverage():0.##})");
        try
        {
            await using var host = await StartApiAsync(rep);
            using var c = new ApiClient(host.BaseAddress, 512);
            var s = new Scenarios(host, c, sink);
            await s.WarmUpAsync(options.WarmUp, steadySeconds: options.Smoke ? 1 : 5).WaitAsync(TimeSpan.FromSeconds(90));
            await s.W1Async(500, options.Smoke ? 2 : options.W1Seconds, TimeSpan.FromSeconds(60)).WaitAsync(options.ScenarioTimeout + TimeSpan.FromSeconds(90));
        }
        catch (Exception ex)
        {
            failed = true;
            Log($"W1 failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    // S8 in the distributed mode: a fresh cluster (two Silo processes, the Api as a client) per membership setting.
    if (options.Scenarios.Contains("S8"))
    {
        foreach (var membership in options.S8Memberships)
        {
            Log($"S8 {membership} membership (load average {RunInfo.LoadAverage():0.##})");
            try
            {
                var crash = new CrashSettings(options.SiloDll, options.ApiDll, options.Redis, options.Postgres, options.LogDir,
                    options.S8N, options.S8WarmUp, options.S8Deadline, options.S8Timeout);
                await new CrashScenario(crash, sink, Log).RunAsync(membership).WaitAsync(options.S8Timeout + TimeSpan.FromSeconds(30));
            }
            catch (Exception ex)
            {
                failed = true;
                Log($"S8 {membership} failed: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }
}

Log($"scenarios took {total.Elapsed.TotalSeconds:0} s");
sink.Write(options.Out, options.Smoke ? "smoke" : "full", RunInfo.Machine(loadAtStart, "shared machine: other builds may have run at the same time; load tool and Api share the cores"), RunInfo.Versions(options.Root));
return failed ? 1 : 0;

public sealed class Options
{
    public bool Smoke { get; private set; }

    public int Reps { get; private set; } = 3;

    public string Root { get; private set; } = "";

    public string Out { get; private set; } = "";

    public string ApiDll { get; private set; } = "";

    public string LogDir { get; private set; } = "";

    public HashSet<string> Scenarios { get; private set; } = ["S1f", "S1", "S2", "S3", "S3b", "S3c", "S4", "S5", "S6", "S6w", "S7"];

    public int[] Rates { get; private set; } = [500, 1000, 2000];

    public double Duration { get; private set; } = 5;

    public double S2Seconds { get; private set; } = 5;

    public int N { get; private set; } = 5_000;

    public int S3bExecutions { get; private set; } = 200;

    public int S3bCalls { get; private set; } = 3000;

    public int S4Executions { get; private set; } = 10;

    public int[] S5Clients { get; private set; } = [1, 100, 1000];

    public int[] S6Sizes { get; private set; } = [10_000];

    /// <summary>The GC probe startup hook for S6/S6w (default: benchmarks/gc-probe's Release build, used if present).</summary>
    public string GcProbeDll { get; private set; } = "";

    /// <summary>Where to write dotnet-gcdump files of the S6/S6w Api before and after (none by default).</summary>
    public string? GcDumpDir { get; private set; }

    /// <summary>S6/S6w: time added to the settle before VmRSS after (0 by default), e.g. past the reminder refresh.</summary>
    public TimeSpan S6ExtraSettle { get; private set; }

    public string SiloDll { get; private set; } = "";

    /// <summary>S8: Redis for membership (StackExchange.Redis form, e.g. 127.0.0.1:6380); default $AO_REDIS.</summary>
    public string Redis { get; private set; } = Environment.GetEnvironmentVariable("AO_REDIS") ?? "";

    /// <summary>S8: Npgsql connection string for grain state and reminders; default $AO_POSTGRES.</summary>
    public string Postgres { get; private set; } = Environment.GetEnvironmentVariable("AO_POSTGRES") ?? "";

    public int S8N { get; private set; } = 600;

    /// <summary>W1: seconds of runs at 500 events/s (and of the floor's POSTs after them).</summary>
    public double W1Seconds { get; private set; } = 20;

    /// <summary>S9: runs per round of the CPU-per-run drain (four rounds: auth off, on, on, off).</summary>
    public int S9N { get; private set; } = 3000;

    public int S8WarmUp { get; private set; } = 200;

    /// <summary>S11, the agent workload: concurrent runs per size (smoke: 10), tokens per turn and the simulator's interval between tokens.</summary>
    public int[] S11Sizes { get; private set; } = [100, 1000];

    public int S11Tokens { get; private set; } = 200;

    public int S11TokenMs { get; private set; } = 20;

    public string SimulatorDll { get; private set; } = "";

    /// <summary>S10: schedules, their period and the fires measured per schedule (asked for with --scenarios S10).</summary>
    public int S10N { get; private set; } = 1000;

    public TimeSpan S10Period { get; private set; } = TimeSpan.FromSeconds(10);

    public int S10Fires { get; private set; } = 7;

    public TimeSpan S8Deadline { get; private set; } = TimeSpan.FromSeconds(20);

    /// <summary>S8's bound per membership setting: cluster start, starts, drain, up to twice the deadline, log reads.</summary>
    public TimeSpan S8Timeout { get; private set; } = TimeSpan.FromSeconds(180);

    public Membership[] S8Memberships { get; private set; } = [Membership.Tuned, Membership.Default];

    public int WarmUp { get; private set; } = 2000;

    /// <summary>
    /// Seconds of steady starts after the warm-up burst: tiered compilation promotes methods only under sustained
    /// calls, and the Api's optimized code count was still rising 13 s into a 500/s load (measured with the perf map).
    /// After 15 s of it the JIT still compiled ~1,000 methods in S1's first 20 s; ~40 s after the Api starts it is quiet.
    /// </summary>
    public double WarmUpSeconds { get; private set; } = 45;

    public TimeSpan Pause { get; private set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ScenarioTimeout { get; private set; } = TimeSpan.FromSeconds(120);

    public static Options Parse(string[] args)
    {
        var o = new Options();
        var given = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--smoke")
            {
                o.Smoke = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                given[args[i][2..]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        if (o.Smoke)
        {
            o.Reps = 1;
            o.Rates = [500, 1000];
            o.Duration = 1;
            o.S2Seconds = 1;
            o.N = 300;
            o.S3bExecutions = 20;
            o.S3bCalls = 300;
            o.S4Executions = 1;
            o.S5Clients = [1, 50];
            o.S6Sizes = [500];
            o.S8N = 100;
            o.S8WarmUp = 30;
            o.S8Deadline = TimeSpan.FromSeconds(15);
            o.S8Timeout = TimeSpan.FromSeconds(90);
            o.S8Memberships = [Membership.Tuned];
            o.S10N = 20;
            o.S10Period = TimeSpan.FromSeconds(2);
            o.S10Fires = 2;
            o.WarmUp = 300;
            o.WarmUpSeconds = 1;
            o.Pause = TimeSpan.FromMilliseconds(200);
            o.ScenarioTimeout = TimeSpan.FromSeconds(45);
        }

        static int[] Ints(string v) => [.. v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(x => int.Parse(x, CultureInfo.InvariantCulture))];
        foreach (var (k, v) in given)
        {
            switch (k)
            {
                case "reps": o.Reps = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "root": o.Root = v; break;
                case "out": o.Out = v; break;
                case "api-dll": o.ApiDll = v; break;
                case "log-dir": o.LogDir = v; break;
                case "scenarios": o.Scenarios = [.. v.Split(',')]; break;
                case "rates": o.Rates = Ints(v); break;
                case "duration": o.Duration = double.Parse(v, CultureInfo.InvariantCulture); break;
                case "s2-seconds": o.S2Seconds = double.Parse(v, CultureInfo.InvariantCulture); break;
                case "n": o.N = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "s3b-executions": o.S3bExecutions = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "s3b-calls": o.S3bCalls = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "s4-executions": o.S4Executions = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "s5-clients": o.S5Clients = Ints(v); break;
                case "s6-n": o.S6Sizes = Ints(v); break;
                case "gc-probe": o.GcProbeDll = v; break;
                case "gcdump": o.GcDumpDir = v; break;
                case "s6-extra-settle": o.S6ExtraSettle = TimeSpan.FromSeconds(double.Parse(v, CultureInfo.InvariantCulture)); break;
                case "silo-dll": o.SiloDll = v; break;
                case "redis": o.Redis = v; break;
                case "postgres": o.Postgres = v; break;
                case "s8-n": o.S8N = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "s11-n": o.S11Sizes = Ints(v); break;
                case "s11-tokens": o.S11Tokens = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "s11-token-ms": o.S11TokenMs = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "simulator-dll": o.SimulatorDll = v; break;
                case "s9-n": o.S9N = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "w1-seconds": o.W1Seconds = double.Parse(v, CultureInfo.InvariantCulture); break;
                case "s10-n": o.S10N = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "s10-period": o.S10Period = TimeSpan.FromSeconds(double.Parse(v, CultureInfo.InvariantCulture)); break;
                case "s10-fires": o.S10Fires = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "s8-warmup": o.S8WarmUp = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "s8-deadline": o.S8Deadline = TimeSpan.FromSeconds(double.Parse(v, CultureInfo.InvariantCulture)); break;
                case "s8-timeout": o.S8Timeout = TimeSpan.FromSeconds(double.Parse(v, CultureInfo.InvariantCulture)); break;
                case "s8-membership": o.S8Memberships = [.. v.Split(',').Select(m => Enum.Parse<Membership>(m, ignoreCase: true))]; break;
                case "warmup": o.WarmUp = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "warmup-seconds": o.WarmUpSeconds = double.Parse(v, CultureInfo.InvariantCulture); break;
                case "timeout": o.ScenarioTimeout = TimeSpan.FromSeconds(double.Parse(v, CultureInfo.InvariantCulture)); break;
                default: throw new ArgumentException($"unknown option --{k}");
            }
        }

        if (o.Root == "")
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AgentOrleans.sln")))
            {
                dir = dir.Parent;
            }

            o.Root = dir?.FullName ?? Directory.GetCurrentDirectory();
        }

        if (o.Out == "")
        {
            o.Out = Path.Combine(o.Root, "benchmarks", "results", o.Smoke ? "agentorleans-smoke.json" : "agentorleans.json");
        }

        if (o.GcProbeDll == "")
        {
            o.GcProbeDll = Path.Combine(o.Root, "benchmarks", "gc-probe", "bin", "Release", "net10.0", "GcProbe.dll");
        }

        if (o.ApiDll == "")
        {
            o.ApiDll = Path.Combine(o.Root, "Api", "bin", "Release", "net10.0", "Api.dll");
        }

        if (o.LogDir == "")
        {
            o.LogDir = Path.Combine(Path.GetTempPath(), "agentorleans-bench");
        }

        if (o.SimulatorDll == "")
        {
            o.SimulatorDll = Path.Combine(o.Root, "tools", "LlmSimulator", "bin", "Release", "net10.0", "LlmSimulator.dll");
        }

        if (o.SiloDll == "")
        {
            o.SiloDll = Path.Combine(o.Root, "Silo", "bin", "Release", "net10.0", "Silo.dll");
        }

        if (!File.Exists(o.ApiDll))
        {
            throw new FileNotFoundException($"build the Api first (dotnet build -c Release Api/Api.csproj): {o.ApiDll} is missing");
        }

        if (o.Scenarios.Contains("S8"))
        {
            if (!File.Exists(o.SiloDll))
            {
                throw new FileNotFoundException($"S8 needs the Silo (dotnet build -c Release Silo/Silo.csproj): {o.SiloDll} is missing");
            }

            if (o.Redis == "" || o.Postgres == "")
            {
                throw new ArgumentException("S8 needs --redis and --postgres (or AO_REDIS / AO_POSTGRES): start them with scripts/redis.sh and scripts/postgres.sh");
            }
        }

        return o;
    }
}
