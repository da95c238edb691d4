using AgentOrleans.Api.Health;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.StartupTasks;

namespace AgentOrleans.Tests.StartupTasks;

public sealed class StartupTaskReadinessTests
{
    private static StartupTask Task(string name, bool gates, string runKey = "v2") => new(name, "w", null, null, runKey, gates);

    private static StartupTaskView View(string name, StartupTaskStatus status, string runKey = "v2", string? message = null) => new()
    {
        Name = name,
        RunKey = runKey,
        Status = status,
        ExecutionId = status == StartupTaskStatus.Pending ? null : $"startup:{name}:0123456789ab",
        ExecutionStatus = status switch
        {
            StartupTaskStatus.Succeeded => ExecutionStatus.Succeeded,
            StartupTaskStatus.Failed => ExecutionStatus.Failed,
            StartupTaskStatus.Running => ExecutionStatus.Running,
            _ => null,
        },
        Message = message,
    };

    [Fact]
    public void OnlyGatingTasksThatHaveNotSucceededHoldReadinessBack()
    {
        var reports = new[]
        {
            StartupTaskReadiness.Report(Task("done", gates: true), View("done", StartupTaskStatus.Succeeded)),
            StartupTaskReadiness.Report(Task("loading", gates: true), View("loading", StartupTaskStatus.Running)),
            StartupTaskReadiness.Report(Task("never", gates: true), null),
            StartupTaskReadiness.Report(Task("broken", gates: false), View("broken", StartupTaskStatus.Failed, message: "failed: boom")),
        };

        var pending = StartupTaskReadiness.Pending(reports);

        Assert.Equal(["loading", "never"], pending.Select(r => r.Name));
        Assert.Equal("Startup tasks not yet succeeded: loading (running); never (pending)", StartupTaskReadiness.Describe(pending));
        Assert.Equal(("failed", "failed: boom", "failed"), (reports[3].Status, reports[3].Error, reports[3].ExecutionStatus));
    }

    [Fact]
    public void AFailedGatingTaskIsNamedWithItsError()
    {
        var report = StartupTaskReadiness.Report(Task("seed", gates: true), View("seed", StartupTaskStatus.Failed, message: "failed at node load, attempt 3: Flaky: no"));

        Assert.Equal("Startup tasks not yet succeeded: seed (failed: failed at node load, attempt 3: Flaky: no)", StartupTaskReadiness.Describe(StartupTaskReadiness.Pending([report])));
    }

    [Fact]
    public void ASucceededRunOfAnotherRunKeyIsStillPending()
    {
        var report = StartupTaskReadiness.Report(Task("seed", gates: true, runKey: "v3"), View("seed", StartupTaskStatus.Succeeded, runKey: "v2"));

        Assert.Equal(("pending", null), (report.Status, report.ExecutionId));
        Assert.Single(StartupTaskReadiness.Pending([report]));
    }
}
