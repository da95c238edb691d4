namespace AgentOrleans.Grains.Executions;

/// <summary>The event types of the architecture's contract.</summary>
public static class EventTypes
{
    public const string ExecutionQueued = "execution.queued";
    public const string ExecutionScheduled = "execution.scheduled";
    public const string ExecutionStarted = "execution.started";
    public const string NodeStarted = "node.started";
    public const string NodeProgress = "node.progress";
    public const string NodeRetrying = "node.retrying";
    public const string NodeCompleted = "node.completed";
    public const string NodeFailed = "node.failed";
    public const string NodeWaiting = "node.waiting";

    /// <summary>
    /// A step started a child execution (a subworkflow, a map item, an agent tool call): data
    /// <c>{"executionId", "path", "workflowId"}</c>, once per child, after the child exists. Readers of
    /// the parent's stream with its children (<c>?include=children</c>) discover children from it.
    /// </summary>
    public const string ChildStarted = "child.started";
    public const string ExecutionSignaled = "execution.signaled";
    public const string ExecutionPaused = "execution.paused";
    public const string ExecutionResumed = "execution.resumed";
    public const string ExecutionCompleted = "execution.completed";
    public const string ExecutionFailed = "execution.failed";
    public const string ExecutionCancelled = "execution.cancelled";
    public const string ExecutionTimedOut = "execution.timed_out";

    public static bool IsTerminal(string type) =>
        type is ExecutionCompleted or ExecutionFailed or ExecutionCancelled or ExecutionTimedOut;
}
