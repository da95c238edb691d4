namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// Who makes a model call: the execution, workflow and node (for logs and the call's span), a call id unique to this
/// call within the attempt (the holder of a pool permit: a resumed attempt makes the same call again and takes its
/// own lease back) and the execution's priority in a pool's line.
/// </summary>
public sealed record ChatCaller(string ExecutionId, string CallId, int Priority)
{
    /// <summary>The execution's usage and budget, where the call's usage is recorded. Default: records nothing.</summary>
    public IUsageLedger Usage { get; init; } = UsageLedgers.None;

    /// <summary>Whether the call may stop its attempt to wait for budget (<c>onBudget: wait</c>): not inside another step.</summary>
    public bool CanWait { get; init; }

    public string WorkflowId { get; init; } = "";

    public string NodeId { get; init; } = "";

    /// <summary>The caller of call <paramref name="call"/> of a step attempt (an agent's turn number; 1 for an llm step).</summary>
    public static ChatCaller Of(StepContext context, int call) => new(context.ExecutionId, $"{context.IdempotencyKey}:llm:{call}", context.Priority)
    {
        Usage = context.Usage,
        CanWait = context.CanAwaitApprovals,
        WorkflowId = context.WorkflowId,
        NodeId = context.NodeId,
    };
}
