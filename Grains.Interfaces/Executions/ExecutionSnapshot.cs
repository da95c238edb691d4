namespace AgentOrleans.Grains.Executions;

/// <summary>What a caller sees of an execution at one moment.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ExecutionSnapshot")]
public sealed record ExecutionSnapshot
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string WorkflowId { get; init; }
    [Id(2)] public required int Version { get; init; }
    [Id(3)] public required ExecutionStatus Status { get; init; }
    [Id(4)] public string? InputJson { get; init; }
    [Id(5)] public string? ResultJson { get; init; }
    [Id(6)] public ExecutionError? Error { get; init; }
    [Id(7)] public string? CurrentNodeId { get; init; }
    [Id(8)] public int? CurrentAttempt { get; init; }
    [Id(9)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(10)] public DateTimeOffset? StartedAt { get; init; }
    [Id(11)] public DateTimeOffset? CompletedAt { get; init; }
    [Id(12)] public required long LastSeq { get; init; }
    [Id(13)] public bool CancelRequested { get; init; }
    [Id(14)] public ParentLink? Parent { get; init; }

    /// <summary>The resource pool the current node is waiting for, if any.</summary>
    [Id(15)] public string? WaitingForPool { get; init; }

    /// <summary>1-based place in that pool's queue when it was last seen.</summary>
    [Id(16)] public int? PoolPosition { get; init; }

    [Id(17)] public int Priority { get; init; }

    /// <summary>The signals a waiting execution waits for, with each one's deadline.</summary>
    [Id(18)] public IReadOnlyList<SignalWait> WaitingFor { get; init; } = [];

    /// <summary>A pause was asked for and takes effect at the next node boundary.</summary>
    [Id(19)] public bool PauseRequested { get; init; }

    /// <summary>When a scheduled execution begins.</summary>
    [Id(20)] public DateTimeOffset? ScheduledFor { get; init; }

    /// <summary>The grain key of the execution this one re-runs, if it is a re-run.</summary>
    [Id(70)] public string? RerunOf { get; init; }

    /// <summary>The node a re-run began at.</summary>
    [Id(71)] public string? RerunFrom { get; init; }

    /// <summary>Tokens and estimated cost of the execution's model calls so far, its children's included, per model.</summary>
    [Id(80)] public ExecutionUsage Usage { get; init; } = ExecutionUsage.None;

    /// <summary>The budget in force (start request and definition combined, raised by <c>budget</c> signals); null when unlimited.</summary>
    [Id(81)] public ExecutionBudget? Budget { get; init; }

    public bool IsTerminal => Status.IsTerminal();
}
