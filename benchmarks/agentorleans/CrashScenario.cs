using System.Diagnostics;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>What one S8 repetition needs: the builds, the servers, the sizes and the bounds.</summary>
public sealed record CrashSettings(
    string SiloDll, string ApiDll, string Redis, string Postgres, string LogDir,
    int Runs, int WarmUp, TimeSpan Deadline, TimeSpan Timeout);

/// <summary>
/// S8, crash mid-drain, in the distributed mode: two Silo processes (Redis membership, PostgreSQL state and
/// reminders) and the Api as a pure client. A backlog of N runs of three steps, each held at a first node
/// that calls this tool's <see cref="ProbeEndpoint"/> gate; once every start is accepted the gate opens and
/// the backlog drains; one waiter per run long-polls its status, as a client waiting on its run does; once
/// half the runs are done, one silo is killed with SIGKILL and not restarted. Figures: runs lost (not
/// succeeded within the deadline after the kill, by the status the Api reports), steps run twice (counted
/// by the probe, as the peers count theirs), kill → first resumed progress and kill → all runs done (from
/// the durable event logs and completion times).
/// </summary>
public sealed partial class CrashScenario(CrashSettings s, ResultSink sink, Action<string> log)
{
    /// <summary>
    /// Each long poll stays under the Api's grain-call timeout (5 s, <see cref="DistributedCluster.ClientResponseTimeout"/>):
    /// the Api waits in slices of up to 20 s, and a longer slice would time out and answer 503.
    /// </summary>
    private const string WaitParameter = "3s";

    private static readonly string[] StepNodes = ["step1", "step2", "step3"];

    public static string Variant(Membership membership) =>
        membership == Membership.Tuned ? "distributed-redis-postgres" : "distributed-redis-postgres-default-membership";

    public async Task RunAsync(Membership membership)
    {
        using var bound = new CancellationTokenSource(s.Timeout);
        var settings = Settings(membership);
        var up = Stopwatch.StartNew();
        await using var probe = await ProbeEndpoint.StartAsync(TimeSpan.FromSeconds(8), StepNodes[^1]);
        await using var cluster = await DistributedCluster.StartAsync(s.SiloDll, s.ApiDll, s.Redis, s.Postgres, 2, membership, s.LogDir, TimeSpan.FromSeconds(90))
            .WaitAsync(bound.Token);
        log($"S8 {membership}: cluster {cluster.ClusterId} up in {up.Elapsed.TotalSeconds:0.0} s (silos {string.Join(", ", cluster.Silos.Select(x => x.Pid))}, Api {cluster.Api.Pid})");
        settings["cluster_start_s"] = Math.Round(up.Elapsed.TotalSeconds, 1);
        using var client = new ApiClient(cluster.Api.BaseAddress, 4096);
        await WarmUpAsync(client, probe, bound.Token);

        var body = ApiClient.StartBody(Workflows.Counted3);
        var n = s.Runs;
        var ids = new string?[n];
        var completedAt = new DateTimeOffset?[n];
        var status = new string?[n];
        var waiters = new Task[n];
        var done = 0;
        var waiterErrors = 0;
        var startRetries = 0;
        using var stopWaiters = CancellationTokenSource.CreateLinkedTokenSource(bound.Token);

        async Task WaitAsync(int i, CancellationToken ct)
        {
            var backoff = TimeSpan.FromMilliseconds(100);
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    if (await client.GetAsync(ids[i]!, WaitParameter, ct) is { } st)
                    {
                        if (ApiClient.IsTerminal(st.Status))
                        {
                            (status[i], completedAt[i]) = (st.Status, st.CompletedAt);
                            Interlocked.Increment(ref done);
                            return;
                        }

                        backoff = TimeSpan.FromMilliseconds(100);
                        continue;
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
                {
                    // A call caught by the kill: ask again, as a client would.
                }

                Interlocked.Increment(ref waiterErrors);
                try
                {
                    await Task.Delay(backoff, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
        }

        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = bound.Token }, async (i, ct) =>
        {
            var key = $"{cluster.ClusterId}-{i}";
            while ((ids[i] = await TryStartAsync(client, body, key, ct)) is null)
            {
                Interlocked.Increment(ref startRetries);
                await Task.Delay(200, ct);
            }

            waiters[i] = WaitAsync(i, stopWaiters.Token);
        });
        var startPhase = clock.Elapsed.TotalSeconds;
        settings["start_phase_s"] = Math.Round(startPhase, 2);
        settings["start_retries"] = startRetries;
        settings["runs_done_before_release"] = Volatile.Read(ref done);
        settings["gate_calls_held_again"] = probe.HeldAgain;
        probe.Open();

        // Timed on the steps' own count of runs done: under load the waiters see completions seconds late
        // (measured: half seen done when all were), which would put the kill after the drain.
        while (probe.RunsDone < n / 2)
        {
            await Task.Delay(2, bound.Token);
        }

        var drained = clock.Elapsed.TotalSeconds - startPhase;
        var killedAt = DateTimeOffset.UtcNow;
        var sinceKill = Stopwatch.StartNew();
        var doneAtKill = Volatile.Read(ref done);
        cluster.Silos[0].Kill();
        settings["runs_seen_done_by_waiters_at_kill"] = doneAtKill;
        settings["release_to_kill_s"] = Math.Round(drained, 3);
        log($"S8 {membership}: {n} runs started in {startPhase:0.0} s, gate opened; {drained:0.00} s later killed silo pid {cluster.Silos[0].Pid} "
            + $"(waiters had seen {doneAtKill} runs done)");

        // Past the deadline unfinished runs count as lost; waiting up to twice as long only tells late from never.
        while (Volatile.Read(ref done) < n && sinceKill.Elapsed < 2 * s.Deadline)
        {
            await Task.Delay(10, bound.Token);
        }

        await stopWaiters.CancelAsync();
        await Task.WhenAll(waiters.Where(w => w is not null)).WaitAsync(TimeSpan.FromSeconds(30), bound.Token);
        settings["waiter_errors"] = waiterErrors;

        // A waiter may trail its run on a starved machine: the status itself says whether and when the run ended.
        var unseen = Enumerable.Range(0, n).Where(i => status[i] is null).ToList();
        await Parallel.ForEachAsync(unseen, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = bound.Token }, async (i, ct) =>
        {
            try
            {
                if (await client.GetAsync(ids[i]!, null, ct) is { } st && ApiClient.IsTerminal(st.Status))
                {
                    (status[i], completedAt[i]) = (st.Status, st.CompletedAt);
                }
            }
            catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException) && !ct.IsCancellationRequested)
            {
                // Counted as lost.
            }
        });
        settings["runs_not_seen_done_by_waiters"] = unseen.Count;
        settings["gate_calls"] = probe.GateCalls;

        var logs = new List<LoggedEvent>?[n];
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = bound.Token }, async (i, ct) =>
        {
            for (var attempt = 0; attempt < 5 && logs[i] is null; attempt++)
            {
                try
                {
                    logs[i] = await client.EventsAsync(ids[i]!, ct);
                }
                catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException) && !ct.IsCancellationRequested)
                {
                    await Task.Delay(500, ct);
                }
            }
        });

        Report(membership, settings, killedAt, ids, completedAt, status, logs, probe.Steps);
    }

    private async Task WarmUpAsync(ApiClient client, ProbeEndpoint probe, CancellationToken cancellationToken)
    {
        await client.PublishAsync(Workflows.Noop3Definition());
        await client.PublishAsync(Workflows.Counted3Definition(probe));
        var body = ApiClient.StartBody(Workflows.Noop3);
        await Parallel.ForAsync(0, s.WarmUp, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (_, ct) =>
        {
            if (await client.StartAsync(body, ct) is { } id)
            {
                await client.GetAsync(id, WaitParameter, ct);
            }
        });
    }

    private static async Task<string?> TryStartAsync(ApiClient client, byte[] body, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await client.StartAsync(body, key, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}
