namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// Who makes a model call: the execution, workflow and node (for logs and the call's span), a call id unique to this
/// call within the attempt (the holder of a pool permit: a resumed attempt makes the same call again and takes its
/// own lease back) and the execution's priority in a pool's line.
/// </summary>
public sealed record ChatCaller(string ExecutionId, string CallId, int Priority)
{
    public string WorkflowId { get; init; } = "";

    public string NodeId { get; init; } = "";

    /// <summary>The caller of call <paramref name="call"/> of a step attempt (an agent's turn number; 1 for an llm step).</summary>
    public static ChatCaller Of(StepContext context, int call) => new(context.ExecutionId, $"{context.IdempotencyKey}:llm:{call}", context.Priority)
    {
        WorkflowId = context.WorkflowId,
        NodeId = context.NodeId,
    };
}
