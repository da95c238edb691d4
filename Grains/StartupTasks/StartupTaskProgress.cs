using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.StartupTasks;

/// <summary>Where a startup task stands after a start, or after a look at its execution.</summary>
public sealed record StartupTaskOutcome(StartupTaskStatus Status, string? ExecutionId, ExecutionStatus? ExecutionStatus, string? Message);

/// <summary>What a start's outcome, and an execution's status, mean for a startup task: plain rules, tested without a cluster.</summary>
public static class StartupTaskProgress
{
    public static StartupTaskOutcome OfStart(StartResult started, StartupTaskSpec spec) => started switch
    {
        // Conflict: started before for this run key under another workflow or input. It is still this run key's run.
        { Outcome: StartOutcome.Started or StartOutcome.AlreadyStarted or StartOutcome.Conflict, Execution: { } execution } =>
            OfExecution(execution.Id, execution),
        { Outcome: StartOutcome.WorkflowNotFound } => new(StartupTaskStatus.Pending, null, null,
            spec.Version is null ? $"no workflow '{spec.WorkflowId}' is published yet" : $"workflow '{spec.WorkflowId}' has no version {spec.Version} yet"),
        { Outcome: StartOutcome.Overloaded } => new(StartupTaskStatus.Pending, null, null, $"admission control refused the start for now: {FirstProblem(started)}"),
        _ => new(StartupTaskStatus.Failed, null, null, "its input was refused: " + string.Join("; ", started.Problems.Select(p => $"/input{p.Pointer}: {p.Message}"))),
    };

    public static StartupTaskOutcome OfExecution(string executionId, ExecutionSnapshot? execution) => execution switch
    {
        null => new(StartupTaskStatus.Failed, executionId, null, "its execution no longer exists"),
        { Status: ExecutionStatus.Succeeded } => new(StartupTaskStatus.Succeeded, executionId, execution.Status, null),
        { IsTerminal: true } => new(StartupTaskStatus.Failed, executionId, execution.Status, Describe(execution)),
        _ => new(StartupTaskStatus.Running, executionId, execution.Status, null),
    };

    private static string Describe(ExecutionSnapshot execution) => execution.Error is { } error
        ? $"{execution.Status.ToWireName()}{(error.NodeId is null ? "" : $" at node {error.NodeId}, attempt {error.Attempt}")}: {error.Type}: {error.Message}"
        : execution.Status.ToWireName();

    private static string FirstProblem(StartResult started) => started.Problems.Count > 0 ? started.Problems[0].Message : "too many active executions";
}
