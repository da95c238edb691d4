namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Everything an execution persists at each checkpoint: enough to resume on another silo
/// (which node, which attempt, when it started, the run's state) and its bounded event log.
/// </summary>
[GenerateSerializer, Alias("AgentOrleans.ExecutionState")]
public sealed class ExecutionState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string WorkflowId { get; set; } = "";
    [Id(2)] public int Version { get; set; }
    [Id(3)] public string? InputJson { get; set; }
    [Id(4)] public string StateJson { get; set; } = "{}";
    [Id(5)] public ExecutionStatus Status { get; set; }
    [Id(6)] public string? CurrentNodeId { get; set; }
    [Id(7)] public int CurrentAttempt { get; set; }
    [Id(8)] public DateTimeOffset? AttemptStartedAt { get; set; }
    [Id(9)] public DateTimeOffset? NextAttemptAt { get; set; }
    [Id(10)] public Dictionary<string, int> Visits { get; set; } = [];
    [Id(11)] public string? ResultJson { get; set; }
    [Id(12)] public ExecutionError? Error { get; set; }
    [Id(13)] public DateTimeOffset CreatedAt { get; set; }
    [Id(14)] public DateTimeOffset? StartedAt { get; set; }
    [Id(15)] public DateTimeOffset? CompletedAt { get; set; }
    [Id(16)] public DateTimeOffset? Deadline { get; set; }
    [Id(17)] public bool CancelRequested { get; set; }
    [Id(18)] public string? CancelReason { get; set; }
    [Id(19)] public string? RequestHash { get; set; }
    [Id(20)] public ParentLink? Parent { get; set; }
    [Id(21)] public List<ExecutionEvent> Events { get; set; } = [];
    [Id(22)] public long LastSeq { get; set; }
    [Id(23)] public long TrimmedThrough { get; set; }

    /// <summary>W3C traceparent of the start call: the parent of the run's spans, also after a resume elsewhere.</summary>
    [Id(24)] public string? TraceParent { get; set; }

    /// <summary>Start option: waiters for a pool are served by priority (higher first), then in arrival order. Default 0.</summary>
    [Id(25)] public int Priority { get; set; }

    /// <summary>
    /// Whether the attempt in flight has made progress durable: the attempt that runs next (a retry,
    /// or the same attempt resumed after a restart) tells readers to drop that partial output.
    /// </summary>
    [Id(26)] public bool AttemptEmittedProgress { get; set; }

    /// <summary>Signals accepted that no node has taken yet, in arrival order.</summary>
    [Id(27)] public List<BufferedSignal> Signals { get; set; } = [];

    /// <summary>Idempotency keys of accepted signals (the newest <see cref="ExecutionOptions.MaxSignalKeys"/>), so each is accepted once.</summary>
    [Id(28)] public List<string> SignalKeys { get; set; } = [];

    /// <summary>Signals accepted so far: the number in the next signal's id.</summary>
    [Id(29)] public int SignalCount { get; set; }

    /// <summary>What a waiting execution (status waiting) waits for.</summary>
    [Id(30)] public SignalWait? Waiting { get; set; }

    /// <summary>A pause was asked for; it takes effect at the next node boundary.</summary>
    [Id(31)] public bool PauseRequested { get; set; }

    /// <summary>The node a paused execution enters when it is resumed.</summary>
    [Id(32)] public string? PausedBefore { get; set; }

    /// <summary>When a long delay in flight ends: the execution sleeps out of memory until then.</summary>
    [Id(33)] public DateTimeOffset? SleepingUntil { get; set; }

    /// <summary>What the attempt in flight has recorded (its model turns and tool calls): found again if it runs again after a lost silo.</summary>
    [Id(34)] public Dictionary<string, string> Journal { get; set; } = [];

    /// <summary>The tool calls of the attempt in flight that wait for a person's approval (signal <c>approval</c>), in the order asked.</summary>
    [Id(35)] public List<PendingApproval> Approvals { get; set; } = [];

    /// <summary>Approvals decided and not yet in the attempt's journal (journal key → decision JSON): they join it when the attempt runs next.</summary>
    [Id(36)] public Dictionary<string, string> ApprovalDecisions { get; set; } = [];

    /// <summary>Since when the run waits for approvals (status waiting): the node's timeout does not count that time.</summary>
    [Id(37)] public DateTimeOffset? WaitingForApprovalsSince { get; set; }

    /// <summary>When a scheduled execution (status scheduled) begins.</summary>
    [Id(38)] public DateTimeOffset? ScheduledFor { get; set; }

    /// <summary>Who asked for the cancellation (recorded on <c>execution.cancelled</c>); null with authentication off.</summary>
    [Id(40)] public string? CancelBy { get; set; }

    /// <summary>Who asked for the pause in effect or requested (recorded on <c>execution.paused</c>); null with authentication off.</summary>
    [Id(41)] public string? PauseBy { get; set; }

    /// <summary>The nodes completed, oldest first, each with what it overwrote: a re-run rebuilds "the state before node X" from them (ExecutionTransitions.Rerun.cs).</summary>
    [Id(70)] public List<PathStep> Path { get; set; } = [];

    /// <summary>The grain key of the execution this one re-runs.</summary>
    [Id(71)] public string? RerunOf { get; set; }

    /// <summary>The node a re-run began at.</summary>
    [Id(72)] public string? RerunFrom { get; set; }

    /// <summary>The start's labels, shown by the execution index.</summary>
    [Id(60)] public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>The grain key of the schedule that fired this execution, if one did.</summary>
    [Id(61)] public string? ScheduleKey { get; set; }

    /// <summary>Events made durable for webhooks and not yet handed to them: written with the events, so a crash loses none.</summary>
    [Id(65)] public List<Webhooks.WebhookOutboxEntry> WebhookOutbox { get; set; } = [];

    /// <summary>Tokens and estimated cost of every model call so far and of the children waited for, checkpointed with the step that made them.</summary>
    [Id(80)] public ExecutionUsage Usage { get; set; } = ExecutionUsage.None;

    /// <summary>The part of <see cref="Usage"/> of the current node's visit, all its attempts: reported on <c>node.completed</c>.</summary>
    [Id(81)] public ExecutionUsage NodeUsage { get; set; } = ExecutionUsage.None;

    /// <summary>The budget in force; null when unlimited.</summary>
    [Id(82)] public ExecutionBudget? Budget { get; set; }

    /// <summary>Child executions of the attempt in flight whose usage was added to <see cref="Usage"/>: a re-run of the attempt does not add it again.</summary>
    [Id(83)] public List<string> CountedChildren { get; set; } = [];

    /// <summary>The run waits (status waiting, <see cref="Waiting"/> on the signal <c>budget</c>) because a model call would exceed its budget.</summary>
    [Id(84)] public bool WaitingForBudget { get; set; }
}
