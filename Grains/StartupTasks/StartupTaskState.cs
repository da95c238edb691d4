using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.StartupTasks;

/// <summary>What a startup task persists: the run key it last ran for, its execution and how that ended.</summary>
[GenerateSerializer, Alias("AgentOrleans.StartupTaskState")]
public sealed class StartupTaskState
{
    /// <summary>Null until a silo first asked the task to run.</summary>
    [Id(0)] public string? RunKey { get; set; }

    [Id(1)] public StartupTaskStatus Status { get; set; }

    /// <summary>Set once the execution of <see cref="RunKey"/> was started; from then on the task never starts another for that key.</summary>
    [Id(2)] public string? ExecutionId { get; set; }

    [Id(3)] public ExecutionStatus? ExecutionStatus { get; set; }

    [Id(4)] public string? Message { get; set; }

    [Id(5)] public DateTimeOffset UpdatedAt { get; set; }
}
