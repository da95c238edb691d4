using System.Diagnostics;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>S9: what authentication costs a run, measured against the same Api with it off.</summary>
public sealed partial class Scenarios
{
    /// <summary>
    /// One round of S9 on an Api started with authentication on or off: Api CPU per run over a drain of
    /// <paramref name="n"/> three-step runs (32 senders, then one long-poll per run), then the start latency
    /// p99 of an open loop at <paramref name="rate"/>/s. Recorded as scenario S9 under the sink's variant.
    /// </summary>
    public async Task S9RoundAsync(int n, int rate, double seconds, TimeSpan timeout)
    {
        var settings = Settings(("n", n), ("senders", 32), ("status_readers", 16), ("authorization", api.Bearer is null ? "none" : "Bearer ao_ key"),
            ("method", "start N runs (32 senders), then one GET ?wait=60s per run (16 readers); CPU = Api utime+stime over both, per run"));
        using var cts = new CancellationTokenSource(timeout);
        var cpu0 = api.CpuSeconds();
        var ids = new string?[n];
        var errors = 0;
        var sw = Stopwatch.StartNew();
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cts.Token }, async (i, ct) =>
        {
            ids[i] = await client.StartAsync(Noop3Body, ct);
            if (ids[i] is null)
            {
                Interlocked.Increment(ref errors);
            }
        });
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cts.Token }, async (i, ct) =>
        {
            if (ids[i] is not { } id)
            {
                return;
            }

            if (await client.GetAsync(id, "60s", ct) is not { } status || !ApiClient.IsTerminal(status.Status))
            {
                Interlocked.Increment(ref errors);
            }
        });
        var cpu = api.CpuSeconds() - cpu0;
        settings["errors"] = errors;
        settings["wall_s"] = Math.Round(sw.Elapsed.TotalSeconds, 2);
        settings["cpu_clock_tick_ms"] = 10;
        sink.Add("S9", "api_cpu_ms_per_run", "ms", errors == 0 ? cpu * 1000 / n : null, settings);
        await SettleAsync(TimeSpan.FromSeconds(5));
        await OpenLoopAsync("S9", "start_latency", async (http, ct) => await http.StartAsync(Noop3Body, ct) is not null, rate, seconds);
    }
}
