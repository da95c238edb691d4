using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.StartupTasks;

namespace AgentOrleans.Api.Health;

/// <summary>How one configured startup task stands, as <c>/readyz</c> shows it.</summary>
public sealed record StartupTaskReport(string Name, string Status, bool GatesReadiness, string? ExecutionId, string? ExecutionStatus, string? Error, string? Message);

/// <summary>What <c>/readyz</c> says of the startup tasks: each task's report, and which of those that gate readiness have not succeeded.</summary>
public static class StartupTaskReadiness
{
    /// <summary><paramref name="view"/> is what the task's grain knows; null when it never ran.</summary>
    public static StartupTaskReport Report(StartupTask task, StartupTaskView? view)
    {
        if (view is null || view.RunKey != task.RunKey)
        {
            // A view of another run key: the silos have not yet been asked to run this one (or run an older configuration).
            return new(task.Name, "pending", task.GatesReadiness, null, null, null, "not started for the configured run key yet");
        }

        var status = view.Status.ToWireName();
        var failed = view.Status == StartupTaskStatus.Failed;
        return new(task.Name, status, task.GatesReadiness, view.ExecutionId, view.ExecutionStatus?.ToWireName(), failed ? view.Message : null, failed ? null : view.Message);
    }

    public static IReadOnlyList<StartupTaskReport> Pending(IEnumerable<StartupTaskReport> reports) =>
        [.. reports.Where(r => r.GatesReadiness && r.Status != "succeeded")];

    public static string Describe(IReadOnlyList<StartupTaskReport> pending) =>
        "Startup tasks not yet succeeded: " + string.Join("; ", pending.Select(r => r.Error is { } error ? $"{r.Name} (failed: {error})" : $"{r.Name} ({r.Status})"));
}
