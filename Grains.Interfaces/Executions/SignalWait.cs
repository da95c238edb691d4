namespace AgentOrleans.Grains.Executions;

/// <summary>
/// A node parked until a signal named <see cref="Signal"/> arrives, or until <see cref="Until"/> (none: no timeout).
/// An agent's tool call waiting for a person's approval carries it in <see cref="Approval"/>: its signal is
/// <c>approval</c>, told apart from the node's other pending approvals by the payload's <c>toolCallId</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.SignalWait")]
public sealed record SignalWait(
    [property: Id(0)] string NodeId,
    [property: Id(1)] string Signal,
    [property: Id(2)] DateTimeOffset? Until,
    [property: Id(3)] ToolApproval? Approval = null);

/// <summary>A tool call an agent waits to have approved: the model's call id, the tool's name and the arguments the model gave (JSON).</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ToolApproval")]
public sealed record ToolApproval(
    [property: Id(0)] string ToolCallId,
    [property: Id(1)] string Name,
    [property: Id(2)] string ArgumentsJson);
