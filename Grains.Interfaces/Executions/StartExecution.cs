namespace AgentOrleans.Grains.Executions;

/// <summary>A command to start an execution of a workflow.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.StartExecution")]
public sealed record StartExecution(
    [property: Id(0)] string WorkflowId,
    [property: Id(1)] int? Version,
    [property: Id(2)] string? InputJson)
{
    /// <summary>The execution that started this one as a child, when it is a subworkflow.</summary>
    [Id(3)] public ParentLink? Parent { get; init; }

    /// <summary>Priority of this execution's nodes when they wait for a resource pool (higher first). Default 0.</summary>
    [Id(4)] public int Priority { get; init; }

    /// <summary>When the run begins, if later than now: it is recorded <c>scheduled</c> until then. Not part of the request's identity.</summary>
    [Id(5)] public DateTimeOffset? StartAt { get; init; }

    /// <summary>Who asked for the start (an API key's name or a token's subject); null with authentication off. Not part of the request's identity: a retry by another caller is the same start.</summary>
    [Id(6)] public string? By { get; init; }

    /// <summary>A re-run of an ended execution: begins at its node with the state the original had before it. Part of the request's identity.</summary>
    [Id(70)] public RerunSeed? Rerun { get; init; }

    /// <summary>The caller's labels (key → value), listed and filtered by the execution index. Part of the request's identity.</summary>
    [Id(60)] public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>The grain key of the schedule that fired this execution, if one did.</summary>
    [Id(61)] public string? ScheduleKey { get; init; }

    /// <summary>
    /// The caller's budget for model calls; combined with the definition's, the smaller of each limit applies. Not part
    /// of the request's identity: a child started again after a lost silo, with less budget left, is the same start.
    /// </summary>
    [Id(80)] public ExecutionBudget? Budget { get; init; }
}

/// <summary>Where a child execution reports to: its parent execution and the node that started it.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ParentLink")]
public sealed record ParentLink(
    [property: Id(0)] string ExecutionId,
    [property: Id(1)] string NodeId);
