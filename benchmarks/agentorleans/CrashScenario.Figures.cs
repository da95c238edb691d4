using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>S8's figures: what was measured and how, and the four numbers the report compares with the peers'.</summary>
public sealed partial class CrashScenario
{
    private JsonObject Settings(Membership membership) => new()
    {
        ["mode"] = "distributed: 2 Silo processes (Redis membership, PostgreSQL grain state and reminders, Npgsql pool 30 each) + the Api in Mode=Client, all on 127.0.0.1",
        ["membership"] = membership == Membership.Tuned
            ? "tuned: ProbeTimeout 1 s, NumMissedProbesLimit 2, NumVotesForDeathDeclaration 1, silo ResponseTimeout 5 s"
            : "Orleans defaults (ProbeTimeout 5 s, NumMissedProbesLimit 3, NumVotesForDeathDeclaration 2, silo ResponseTimeout 30 s)",
        ["api_response_timeout_s"] = 5,
        ["recovery_reminder_period_s"] = 2,
        ["placement"] = "Random",
        ["n"] = s.Runs,
        ["steps_per_run"] = 3,
        ["workflow"] = "gate: http GET to the load tool, answered once all n runs are started (a call still waiting after 8 s is answered 'not yet' and made again); then 3 steps, each an http POST "
            + "to the load tool, which counts executions per (run, node) from the Idempotency-Key",
        ["deadline_s"] = s.Deadline.TotalSeconds,
        ["loadavg_at_start"] = Math.Round(RunInfo.LoadAverage(), 2),
        ["cores"] = Environment.ProcessorCount,
        ["kill"] = "SIGKILL of silo 1 of 2 (Process.Kill) once step 3 of n/2 runs has run; it is not restarted, the survivor takes over",
        ["method"] = "starts with Idempotency-Key (retried on error); one waiter per run: GET /v1/executions/{id}?wait=3s (under the Api's 5 s grain-call timeout), "
            + "retried with backoff 100 ms doubling to 1 s; afterwards every run's event log is read (GET .../events?after=0). "
            + "lost = not succeeded by kill + deadline (completedAt); steps run twice = (run, step) pairs the load tool counted more than once "
            + "(the event-log view, a node.started {resumed: true} or a second node.completed, is in steps_started_twice_by_log: an upper bound); "
            + "first progress = earliest resumed node.started after the kill; all done = latest completedAt (event times: server clock, same machine)",
    };

    private void Report(
        Membership membership, JsonObject settings, DateTimeOffset killedAt, string?[] ids, DateTimeOffset?[] completedAt, string?[] status,
        List<LoggedEvent>?[] logs, IReadOnlyDictionary<(string Run, string Node), int> steps)
    {
        var n = completedAt.Length;
        var deadlineAt = killedAt + s.Deadline;
        var lost = Enumerable.Range(0, n).Count(i => status[i] != "succeeded" || completedAt[i] is not { } c || c > deadlineAt);
        var twice = ids.Sum(id => StepNodes.Count(node => steps.GetValueOrDefault((id!, node)) > 1));
        var notRun = ids.Sum(id => StepNodes.Count(node => steps.GetValueOrDefault((id!, node)) == 0));
        var resumedStarts = 0;
        var loggedTwice = 0;
        var resumedGates = 0;
        var duplicateCompletions = 0;
        var retries = 0;
        var resumeDelays = new List<double>();
        foreach (var events in logs)
        {
            if (events is null)
            {
                continue;
            }

            foreach (var node in events.Where(e => e.NodeId is not null).GroupBy(e => e.NodeId!))
            {
                var resumed = node.Count(e => e.Type == "node.started" && e.Resumed);
                var completions = node.Count(e => e.Type == "node.completed");
                if (!StepNodes.Contains(node.Key))
                {
                    // The gate may complete once per visit (a call answered "not yet" is made again).
                    resumedGates += resumed;
                    continue;
                }

                duplicateCompletions += Math.Max(0, completions - 1);

                resumedStarts += resumed;
                loggedTwice += resumed > 0 || completions > 1 ? 1 : 0;
            }

            retries += events.Count(e => e.Type == "node.retrying");
            if (events.FirstOrDefault(e => e.Resumed && e.At > killedAt) is { } first)
            {
                resumeDelays.Add((first.At - killedAt).TotalSeconds);
            }
        }

        resumeDelays.Sort();
        var finished = completedAt.Where(c => c is not null).Select(c => c!.Value).ToList();
        var lastDone = finished.Count > 0 ? (finished.Max() - killedAt).TotalSeconds : (double?)null;
        // The waiters see completions late on a starved machine; completedAt says how far the drain really was.
        settings["runs_done_at_kill"] = finished.Count(c => c <= killedAt);
        settings["runs_done_by_deadline"] = n - lost;
        settings["runs_done_at_all"] = finished.Count;
        settings["runs_resumed"] = resumeDelays.Count;
        settings["resumed_after_s_median"] = resumeDelays.Count > 0 ? Math.Round(Stats.Median(resumeDelays), 3) : null;
        settings["resumed_after_s_last"] = resumeDelays.Count > 0 ? Math.Round(resumeDelays[^1], 3) : null;
        settings["resumed_step_starts"] = resumedStarts;
        settings["steps_started_twice_by_log"] = loggedTwice;
        settings["steps_never_run"] = notRun;
        settings["resumed_gate_calls"] = resumedGates;
        settings["duplicate_node_completions"] = duplicateCompletions;
        settings["node_retries"] = retries;
        settings["event_logs_unread"] = logs.Count(l => l is null);
        settings["last_run_done_after_kill_s"] = lastDone is { } d ? Math.Round(d, 3) : null;

        var variant = Variant(membership);
        sink.Add("S8", "runs_lost", "runs", lost, settings, variant);
        sink.Add("S8", "steps_run_twice", "steps", twice, settings, variant);
        sink.Add("S8", "time_to_first_progress", "s", resumeDelays.Count > 0 ? resumeDelays[0] : null,
            With(settings, "note", "kill to the first node.started {resumed: true} of a run the killed silo hosted (the silo is not restarted: the survivor takes over)"), variant);
        sink.Add("S8", "time_to_all_runs_done", "s", lost == 0 ? lastDone : null,
            With(settings, "note", "kill to the latest completedAt of all n runs; null when a run was not done within the deadline"), variant);
    }

    private static JsonObject With(JsonObject settings, string key, string value)
    {
        var copy = (JsonObject)settings.DeepClone();
        copy[key] = value;
        return copy;
    }
}
