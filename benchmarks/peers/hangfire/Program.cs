using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using Npgsql;

namespace AgentOrleans.Benchmarks.Peers.Hangfire;

/// <summary>
/// Hangfire peer benchmark: a continuation chain of 3 no-op jobs per run.
/// Verbs: <c>bench</c> (default) runs scenarios S1, S2, S3 (and S8 for postgres) and prints
/// one JSON line per measurement; <c>worker</c> runs a BackgroundJobServer until killed (used by S8).
/// </summary>
public static class Program
{
    public static int Main(string[] argv)
    {
        var opts = Options.Parse(argv);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(opts.Timeout * 4));
        try
        {
            if (opts.Verb == "worker")
            {
                return Worker.Run(opts);
            }

            var bench = new Bench(opts);
            foreach (var s in opts.Scenarios)
            {
                switch (s)
                {
                    case "S1": bench.S1(); break;
                    case "S2": bench.S2(); break;
                    case "S3": bench.S3(); break;
                    case "S8" when opts.Storage == "postgres": bench.S8(); break;
                    case "S8": Console.Error.WriteLine("S8 needs --storage postgres; skipped"); break;
                    case "S10": bench.S10(); break;
                    default: throw new ArgumentException($"unknown scenario {s}");
                }
            }

            return 0;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine(ex);
            return 1;
        }
    }
}

/// <summary>Command-line options (bench and worker verbs share them).</summary>
public sealed class Options
{
    public string Verb { get; private set; } = "bench";
    public string Storage { get; private set; } = "inmemory";
    public string[] Scenarios { get; private set; } = ["S1", "S2", "S3", "S8"];
    public double[] Rates { get; private set; } = [500, 1000, 2000];

    /// <summary>S1 producer threads, each with one start in flight (S2 stays one thread).</summary>
    public int Producers { get; private set; } = 4;
    public double Duration { get; private set; } = 5;
    public double S2Seconds { get; private set; } = 5;
    public int N { get; private set; } = 10_000;
    public int S8N { get; private set; } = 2_000;
    public double S8Deadline { get; private set; } = 60;
    public double Timeout { get; private set; } = 300;
    public int Workers { get; private set; } = Math.Min(Environment.ProcessorCount * 5, 20);
    public double InvisibilitySeconds { get; private set; } = 5;
    public int PollMs { get; private set; } = 100;
    public bool LongPolling { get; private set; } = true;
    public double LockTimeoutSeconds { get; private set; } = 10;
    public int WarmUpRuns { get; private set; } = 200;
    public bool Deferred { get; private set; }

    /// <summary>S10: recurring jobs, the period of their seconds cron, fires measured per job, and the scheduler's polling interval.</summary>
    public int S10N { get; private set; } = 1000;
    public int S10Period { get; private set; } = 10;
    public int S10Fires { get; private set; } = 7;
    public int SchedulePollingSeconds { get; private set; } = 1;
    public string Variant => Deferred ? Storage + "-deferred" : Storage;
    public string? Out { get; private set; }
    public string ConnectionString { get; private set; } =
        Environment.GetEnvironmentVariable("AO_PG_CONNECTION")
        ?? "Host=127.0.0.1;Port=5433;Database=agentorleans;Username=agentorleans;Password=agentorleans";

    public static Options Parse(string[] argv)
    {
        var o = new Options();
        var i = 0;
        if (argv.Length > 0 && !argv[0].StartsWith("--", StringComparison.Ordinal))
        {
            o.Verb = argv[0];
            i = 1;
        }

        static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        for (; i < argv.Length; i++)
        {
            var v = i + 1 < argv.Length ? argv[i + 1] : throw new ArgumentException($"{argv[i]} needs a value");
            switch (argv[i])
            {
                case "--storage": o.Storage = v; break;
                case "--scenarios": o.Scenarios = v.ToUpperInvariant().Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                case "--rates": o.Rates = [.. v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(D)]; break;
                case "--duration": o.Duration = D(v); break;
                case "--producers": o.Producers = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--s2-seconds": o.S2Seconds = D(v); break;
                case "--n": o.N = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--s8-n": o.S8N = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--s8-deadline": o.S8Deadline = D(v); break;
                case "--timeout": o.Timeout = D(v); break;
                case "--workers": o.Workers = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--invisibility-timeout": o.InvisibilitySeconds = D(v); break;
                case "--poll-ms": o.PollMs = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--lock-timeout": o.LockTimeoutSeconds = D(v); break;
                case "--chain": o.Deferred = v == "deferred"; break;
                case "--warmup": o.WarmUpRuns = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--long-polling": o.LongPolling = v is "1" or "true"; break;
                case "--out": o.Out = v; break;
                case "--s10-n": o.S10N = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--s10-period": o.S10Period = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--s10-fires": o.S10Fires = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--schedule-polling": o.SchedulePollingSeconds = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--pg": o.ConnectionString = v; break;
                default: throw new ArgumentException($"unknown option {argv[i]}");
            }

            i++;
        }

        if (o.Storage is not ("inmemory" or "postgres"))
        {
            throw new ArgumentException("--storage must be inmemory or postgres");
        }

        return o;
    }

    public PostgreSqlStorageOptions PgOptions() => new()
    {
        SchemaName = "hangfire",
        PrepareSchemaIfNecessary = true,
        // Defaults are 15 s polling and a 30 min invisibility timeout; LISTEN/NOTIFY wake-ups
        // (EnableLongPolling) plus a short poll keep a fair start-to-execution latency.
        QueuePollInterval = TimeSpan.FromMilliseconds(PollMs),
        EnableLongPolling = LongPolling,
        InvisibilityTimeout = TimeSpan.FromSeconds(InvisibilitySeconds),
        // Locks left by a killed server are removed only after this (default 10 min).
        DistributedLockTimeout = TimeSpan.FromSeconds(LockTimeoutSeconds),
    };
}

/// <summary>Storage construction shared by the bench and worker verbs.</summary>
public static class Stores
{
    public static JobStorage Create(Options o)
    {
        if (o.Storage == "inmemory")
        {
            return new InMemoryStorage(new InMemoryStorageOptions());
        }

        var pg = o.PgOptions();
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(o.ConnectionString, pg), pg);
    }

    /// <summary>Drops Hangfire's schema and the step counter so that every scenario starts empty.</summary>
    public static void ResetPostgres(Options o)
    {
        using var ds = NpgsqlDataSource.Create(o.ConnectionString);
        using var cmd = ds.CreateCommand(
            "DROP SCHEMA IF EXISTS hangfire CASCADE; " +
            "CREATE TABLE IF NOT EXISTS peer_steps(run_id text NOT NULL, step int NOT NULL, n int NOT NULL, PRIMARY KEY (run_id, step)); " +
            "TRUNCATE peer_steps;");
        cmd.ExecuteNonQuery();
    }

    public static BackgroundJobServerOptions ServerOptions(Options o) => new()
    {
        WorkerCount = o.Workers,
        ServerName = $"peer-{Environment.ProcessId}",
        ShutdownTimeout = TimeSpan.FromSeconds(2),
    };
}

/// <summary>The <c>worker</c> verb: a BackgroundJobServer counting step executions in PostgreSQL, until killed.</summary>
public static class Worker
{
    public static int Run(Options o)
    {
        Steps.Counter = NpgsqlDataSource.Create(o.ConnectionString);
        var storage = Stores.Create(o);
        using var server = new BackgroundJobServer(Stores.ServerOptions(o), storage);
        Console.WriteLine("worker ready");
        Thread.Sleep(TimeSpan.FromSeconds(o.Timeout));
        return 0;
    }
}

/// <summary>The scenarios.</summary>
public sealed partial class Bench(Options o)
{
    private static readonly long _tick = Stopwatch.Frequency;

    private static double Now() => (double)Stopwatch.GetTimestamp() / _tick;

    private Dictionary<string, object?> Settings(params (string Key, object? Value)[] extra)
    {
        var d = new Dictionary<string, object?>
        {
            ["storage"] = o.Storage,
            ["worker_count"] = o.Workers,
            ["steps_per_run"] = 3,
            ["producer_threads"] = 1,
            ["chain"] = o.Deferred
                ? "Create(parent, ScheduledState) + ContinueJobWith x2 + ChangeState(parent, Enqueued)"
                : "BackgroundJob.Enqueue + ContinueJobWith x2",
        };
        if (o.Storage == "postgres")
        {
            d["queue_poll_interval_ms"] = o.PollMs;
            d["long_polling"] = o.LongPolling;
            d["invisibility_timeout_s"] = o.InvisibilitySeconds;
            d["distributed_lock_timeout_s"] = o.LockTimeoutSeconds;
        }

        foreach (var (k, v) in extra)
        {
            d[k] = v;
        }

        return d;
    }

    private void Emit(string scenario, string metric, string unit, double? value, Dictionary<string, object?> settings)
    {
        var line = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["scenario"] = scenario,
            ["system"] = "hangfire",
            ["variant"] = o.Variant,
            ["metric"] = metric,
            ["unit"] = unit,
            ["value"] = value is { } v ? Math.Round(v, 3) : null,
            ["settings"] = settings,
        });
        Console.WriteLine(line);
        if (o.Out is { } path)
        {
            File.AppendAllText(path, line + "\n");
        }
    }

    private JobStorage Fresh()
    {
        Steps.Reset();
        if (o.Storage == "postgres")
        {
            Stores.ResetPostgres(o);
        }

        return Stores.Create(o);
    }

    private void StartRun(BackgroundJobClient client, string runId)
    {
        if (o.Deferred)
        {
            // Continuations are attached while the parent cannot run yet, so the client never
            // waits for the parent's state lock held by a worker; then the parent is enqueued.
            var p = client.Create(() => Steps.Step(runId, 1), new ScheduledState(TimeSpan.FromDays(365)));
            var c = client.ContinueJobWith(p, () => Steps.Step(runId, 2));
            client.ContinueJobWith(c, () => Steps.Step(runId, 3));
            client.ChangeState(p, new EnqueuedState(), ScheduledState.StateName);
            return;
        }

        var a = client.Enqueue(() => Steps.Step(runId, 1));
        var b = client.ContinueJobWith(a, () => Steps.Step(runId, 2));
        client.ContinueJobWith(b, () => Steps.Step(runId, 3));
    }

    /// <summary>
    /// Warm-up (JIT, connection pool): 200 runs enqueued before the server starts, then drained;
    /// returns the running server.
    /// </summary>
    private BackgroundJobServer WarmUp(JobStorage storage, BackgroundJobClient client)
    {
        var warm = o.WarmUpRuns;
        for (var i = 0; i < warm; i++)
        {
            StartRun(client, $"w{i}");
        }

        var server = new BackgroundJobServer(Stores.ServerOptions(o), storage);
        if (!WaitUntil(() => Steps.Done >= warm, o.Timeout))
        {
            Console.Error.WriteLine("warm-up runs did not finish in time");
        }

        Steps.Reset();
        return server;
    }

    private static double Percentile(double[] sorted, double p)
    {
        var k = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(k, 0, sorted.Length - 1)];
    }

    private static bool WaitUntil(Func<bool> pred, double timeoutSeconds, int sleepMs = 5)
    {
        var deadline = Now() + timeoutSeconds;
        while (Now() < deadline)
        {
            if (pred())
            {
                return true;
            }

            Thread.Sleep(sleepMs);
        }

        return pred();
    }

    public void S1()
    {
        foreach (var rate in o.Rates)
        {
            var storage = Fresh();
            var client = new BackgroundJobClient(storage);
            using var server = WarmUp(storage, client);
            var n = (int)(rate * o.Duration);
            var run = OpenLoop.Run(n, rate, o.Duration, o.Producers, i => StartRun(client, $"r{i}"));
            var lat = run.LatencyMs;
            Array.Sort(lat);
            // Saturated, as for AgentOrleans: requests left unsent, or answers trailing the schedule by more than half its length.
            var saturated = run.Sent < n || run.WallSeconds > 1.5 * o.Duration;
            var st = Settings(("offered_rate", rate), ("duration_s", o.Duration), ("warmup_runs", o.WarmUpRuns), ("requests", n), ("sent", run.Sent),
                ("producer_threads", o.Producers), ("wall_s", Math.Round(run.WallSeconds, 3)), ("saturated", saturated),
                ("achieved_rate", Math.Round(run.Sent / run.WallSeconds, 1)),
                ("method", "open loop: request i due at t0 + i/rate, sent by producer thread i mod P; latency from the due time"));
            foreach (var (p, name) in new[] { (50.0, "p50"), (99.0, "p99"), (99.9, "p99.9") })
            {
                Emit("S1", $"start_latency_{name}@{rate.ToString(CultureInfo.InvariantCulture)}/s", "ms", Percentile(lat, p), st);
            }
        }
    }

    public void S2()
    {
        var storage = Fresh();
        var client = new BackgroundJobClient(storage);
        using var server = WarmUp(storage, client);
        var count = 0;
        var t0 = Now();
        var end = t0 + o.S2Seconds;
        while (Now() < end)
        {
            StartRun(client, $"r{count}");
            count++;
        }

        var elapsed = Now() - t0;
        Emit("S2", "max_start_rate", "starts/s", count / elapsed,
            Settings(("duration_s", o.S2Seconds), ("starts", count), ("method", "closed loop, one producer thread, server consuming")));
    }

    public void S3()
    {
        var storage = Fresh();
        var client = new BackgroundJobClient(storage);
        var n = o.N;
        var te = Now();
        for (var i = 0; i < n; i++)
        {
            StartRun(client, $"r{i}");
        }

        var enqueueS = Now() - te;
        var self = Process.GetCurrentProcess();
        var pg = o.Storage == "postgres" ? new PgBackendCpu(o.ConnectionString) : null;
        self.Refresh();
        var cpu0 = self.TotalProcessorTime.TotalSeconds;
        pg?.Start();
        var t0 = Now();
        bool ok;
        using (var server = new BackgroundJobServer(Stores.ServerOptions(o), storage))
        {
            ok = WaitUntil(() => Steps.Done >= n, o.Timeout);
        }

        // The clock stops at the last completion; disposal (shutdown) is outside it but inside CPU.
        var t1 = Now();
        self.Refresh();
        var cpu1 = self.TotalProcessorTime.TotalSeconds;
        var pgCpu = pg?.Stop();
        var done = Steps.Done;
        if (!ok)
        {
            Console.Error.WriteLine($"S3: only {done}/{n} runs completed within {o.Timeout}s");
        }

        var wall = t1 - t0;
        var st = Settings(("n", n), ("completed", done), ("wall_s", Math.Round(wall, 3)), ("enqueue_s", Math.Round(enqueueS, 3)),
            ("method", "backlog of n runs enqueued first; clock from BackgroundJobServer start to last run done"));
        Emit("S3", "runs_per_second", "runs/s", done / wall, st);
        var cst = new Dictionary<string, object?>(st)
        {
            ["cpu_accounting"] = "whole benchmark process (server in-process; the producer is idle during the drain), Process.TotalProcessorTime",
        };
        Emit("S3", "worker_cpu_ms_per_run", "ms", (cpu1 - cpu0) / Math.Max(done, 1) * 1000, cst);
        if (pgCpu is { } pc)
        {
            var bst = new Dictionary<string, object?>(st)
            {
                ["cpu_accounting"] = "PostgreSQL backends of this database (/proc/<pid>/stat of pg_stat_activity pids)",
            };
            Emit("S3", "broker_cpu_ms_per_run", "ms", pc / Math.Max(done, 1) * 1000, bst);
        }
    }

    public void S8()
    {
        var storage = Fresh();
        var client = new BackgroundJobClient(storage);
        var n = o.S8N;
        for (var i = 0; i < n; i++)
        {
            StartRun(client, $"r{i}");
        }

        using var ds = NpgsqlDataSource.Create(o.ConnectionString);
        long Scalar(string sql)
        {
            using var cmd = ds.CreateCommand(sql);
            return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
        }

        long RunsDone() => Scalar("SELECT count(*) FROM peer_steps WHERE step = 3");
        long Execs() => Scalar("SELECT coalesce(sum(n), 0) FROM peer_steps");

        Process? w1 = null, w2 = null;
        double tKill, tFirst, tAll;
        bool ok, progressed;
        long doneAtKill;
        try
        {
            w1 = StartWorker();
            if (!WaitUntil(() => RunsDone() >= n / 2, o.Timeout, 2))
            {
                throw new TimeoutException("S8: drain did not reach the halfway mark");
            }

            w1.Kill(entireProcessTree: true); // SIGKILL
            tKill = Now();
            w1.WaitForExit(5000);
            doneAtKill = RunsDone();
            var execsAtKill = Execs();
            w2 = StartWorker();
            if (doneAtKill >= n)
            {
                // A starved driver polled too late: nothing was left to resume, so there is no first progress to wait for.
                Console.Error.WriteLine($"S8: all {n} runs were done before the kill; the crash was not measured");
                progressed = false;
            }
            else
            {
                progressed = WaitUntil(() => Execs() > execsAtKill, o.S8Deadline, 2);
            }

            tFirst = Now();
            ok = WaitUntil(() => RunsDone() >= n, Math.Max(0, o.S8Deadline - (tFirst - tKill)), 10);
            tAll = Now();
        }
        finally
        {
            foreach (var w in new[] { w1, w2 })
            {
                if (w is { HasExited: false })
                {
                    w.Kill(entireProcessTree: true);
                    w.WaitForExit(5000);
                }
            }
        }

        var lost = n - RunsDone();
        var twice = Scalar("SELECT count(*) FROM peer_steps WHERE n > 1");
        var st = Settings(("n", n), ("runs_done_at_kill", doneAtKill), ("deadline_s", o.S8Deadline), ("all_done", ok),
            ("kill", "SIGKILL to the worker process (Process.Kill, entire tree)"),
            ("method", "backlog of n runs; worker as a separate process; kill -9 at n/2 runs done; restart at once"));
        Emit("S8", "runs_lost", "runs", lost, st);
        Emit("S8", "steps_run_twice", "steps", twice, st);
        Emit("S8", "time_to_first_progress", "s", progressed ? tFirst - tKill : null,
            new Dictionary<string, object?>(st) { ["note"] = "kill to first step executed by the restarted worker (includes its boot)" });
        Emit("S8", "time_to_all_runs_done", "s", ok ? tAll - tKill : null,
            new Dictionary<string, object?>(st) { ["note"] = "kill to every run completed (includes waiting for the invisibility timeout)" });
    }

    private Process StartWorker()
    {
        var exe = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet")
        {
            psi.ArgumentList.Add(typeof(Program).Assembly.Location);
        }

        foreach (var a in new[]
                 {
                     "worker", "--storage", "postgres", "--workers", o.Workers.ToString(CultureInfo.InvariantCulture),
                     "--invisibility-timeout", o.InvisibilitySeconds.ToString(CultureInfo.InvariantCulture),
                     "--poll-ms", o.PollMs.ToString(CultureInfo.InvariantCulture),
                     "--lock-timeout", o.LockTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
                     "--timeout", (o.Timeout + o.S8Deadline).ToString(CultureInfo.InvariantCulture), "--pg", o.ConnectionString,
                 })
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi) ?? throw new InvalidOperationException("worker did not start");
        // SIGTERM (e.g. from `timeout`) raises ProcessExit: take the worker down with us.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
        };
        p.OutputDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        return p;
    }
}

/// <summary>CPU-seconds used by this database's PostgreSQL backends between Start and Stop (read from /proc).</summary>
public sealed class PgBackendCpu(string connectionString)
{
    private Dictionary<int, double> _start = [];

    private List<int> Pids()
    {
        using var ds = NpgsqlDataSource.Create(connectionString);
        using var cmd = ds.CreateCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        using var r = cmd.ExecuteReader();
        var pids = new List<int>();
        while (r.Read())
        {
            pids.Add(r.GetInt32(0));
        }

        return pids;
    }

    private static double? Cpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (double.Parse(f[11], CultureInfo.InvariantCulture) + double.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Start() => _start = Pids().Select(p => (p, c: Cpu(p))).Where(x => x.c is not null).ToDictionary(x => x.p, x => x.c!.Value);

    /// <summary>Backends that exited before Stop are not counted (the connection pool keeps them open).</summary>
    public double? Stop()
    {
        var total = 0.0;
        var any = false;
        foreach (var p in Pids())
        {
            if (Cpu(p) is { } c)
            {
                total += c - _start.GetValueOrDefault(p, 0.0);
                any = true;
            }
        }

        return any ? total : null;
    }
}
