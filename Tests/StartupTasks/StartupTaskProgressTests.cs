using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.StartupTasks;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Tests.StartupTasks;

public sealed class StartupTaskProgressTests
{
    private static readonly StartupTaskSpec Spec = new("seed-db", null, null, "v1");

    private static ExecutionSnapshot Execution(ExecutionStatus status, ExecutionError? error = null) => new()
    {
        Id = "startup:seed:abc",
        WorkflowId = "seed-db",
        Version = 1,
        Status = status,
        Error = error,
        CreatedAt = DateTimeOffset.UnixEpoch,
        LastSeq = 3,
    };

    [Fact]
    public void TheExecutionIdIsTheSameForARunKeyAndDiffersBetweenRunKeys()
    {
        var first = StartupTaskIds.Execution("seed", "2026-12/v1");

        Assert.Equal(first, StartupTaskIds.Execution("seed", "2026-12/v1"));
        Assert.NotEqual(first, StartupTaskIds.Execution("seed", "2026-12/v2"));
        Assert.NotEqual(first, StartupTaskIds.Execution("other", "2026-12/v1"));
        Assert.Matches("^startup:seed:[0-9a-f]{12}$", first);
        Assert.True(StartupTaskIds.IsStartupExecution(first));
        Assert.False(StartupTaskIds.IsStartupExecution("acme/" + first));
    }

    [Theory]
    [InlineData(ExecutionStatus.Queued, StartupTaskStatus.Running)]
    [InlineData(ExecutionStatus.Running, StartupTaskStatus.Running)]
    [InlineData(ExecutionStatus.Waiting, StartupTaskStatus.Running)]
    [InlineData(ExecutionStatus.Succeeded, StartupTaskStatus.Succeeded)]
    [InlineData(ExecutionStatus.Failed, StartupTaskStatus.Failed)]
    [InlineData(ExecutionStatus.Cancelled, StartupTaskStatus.Failed)]
    [InlineData(ExecutionStatus.TimedOut, StartupTaskStatus.Failed)]
    public void AnExecutionsStatusIsTheTasks(ExecutionStatus execution, StartupTaskStatus task)
    {
        var outcome = StartupTaskProgress.OfExecution("startup:seed:abc", Execution(execution));

        Assert.Equal(task, outcome.Status);
        Assert.Equal(execution, outcome.ExecutionStatus);
        Assert.Equal("startup:seed:abc", outcome.ExecutionId);
    }

    [Fact]
    public void AFailedExecutionGivesTheTaskItsErrorWithNodeAndAttempt()
    {
        var outcome = StartupTaskProgress.OfExecution("startup:seed:abc", Execution(ExecutionStatus.Failed, new ExecutionError("Flaky", "attempt 3 fails on purpose", "load", 3)));

        Assert.Equal("failed at node load, attempt 3: Flaky: attempt 3 fails on purpose", outcome.Message);
    }

    [Fact]
    public void AStartRepeatedOrConflictingIsStillThisRunKeysRun()
    {
        foreach (var start in new[] { StartOutcome.Started, StartOutcome.AlreadyStarted, StartOutcome.Conflict })
        {
            var outcome = StartupTaskProgress.OfStart(new StartResult(start, Execution(ExecutionStatus.Running), []), Spec);
            Assert.Equal((StartupTaskStatus.Running, "startup:seed:abc"), (outcome.Status, outcome.ExecutionId));
        }
    }

    [Fact]
    public void AMissingWorkflowOrAFullClusterLeavesTheTaskPendingAndAnInvalidInputFailsIt()
    {
        var missing = StartupTaskProgress.OfStart(new StartResult(StartOutcome.WorkflowNotFound, null, []), Spec);
        var full = StartupTaskProgress.OfStart(new StartResult(StartOutcome.Overloaded, null, [new DefinitionProblem("", "3 executions are active")]), Spec);
        var invalid = StartupTaskProgress.OfStart(new StartResult(StartOutcome.InvalidInput, null, [new DefinitionProblem("/rows", "must be a number")]), Spec);

        Assert.Equal((StartupTaskStatus.Pending, null, "no workflow 'seed-db' is published yet"), (missing.Status, missing.ExecutionId, missing.Message));
        Assert.Equal((StartupTaskStatus.Pending, "admission control refused the start for now: 3 executions are active"), (full.Status, full.Message));
        Assert.Equal((StartupTaskStatus.Failed, null, "its input was refused: /input/rows: must be a number"), (invalid.Status, invalid.ExecutionId, invalid.Message));
    }
}
