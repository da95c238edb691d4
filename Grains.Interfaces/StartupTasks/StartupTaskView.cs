using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.StartupTasks;

/// <summary>A startup task as its grain knows it: the run key it last ran for and how that run stands.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.StartupTaskView")]
public sealed record StartupTaskView
{
    [Id(0)] public required string Name { get; init; }

    [Id(1)] public required string RunKey { get; init; }

    [Id(2)] public required StartupTaskStatus Status { get; init; }

    /// <summary>The execution of this run key, once started: an ordinary execution, with events, status and cancel.</summary>
    [Id(3)] public string? ExecutionId { get; init; }

    /// <summary>The execution's own status, once started.</summary>
    [Id(4)] public ExecutionStatus? ExecutionStatus { get; init; }

    /// <summary>Why it failed (the execution's error), or why it is still pending (its start was refused, and why).</summary>
    [Id(5)] public string? Message { get; init; }

    [Id(6)] public DateTimeOffset UpdatedAt { get; init; }

    public bool IsFinished => Status is StartupTaskStatus.Succeeded or StartupTaskStatus.Failed;
}

[GenerateSerializer, Alias("AgentOrleans.StartupTaskStatus")]
public enum StartupTaskStatus
{
    /// <summary>Not started for this run key yet: its start was refused for now (no such workflow yet, admission full).</summary>
    Pending,

    /// <summary>Its execution is queued, running, waiting or paused.</summary>
    Running,

    Succeeded,

    /// <summary>Its execution failed, was cancelled or timed out, or its start can never succeed (its input is invalid). Final for this run key.</summary>
    Failed,
}
