namespace AgentOrleans.Grains.Executions;

/// <summary>
/// A tool call of the attempt in flight waiting for its approval: the journal key its decision goes under, the call as
/// shown to people, and when it stops waiting (from when it was first asked for; none: no timeout).
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.PendingApproval")]
public sealed record PendingApproval(
    [property: Id(0)] string Key,
    [property: Id(1)] ToolApproval Call,
    [property: Id(2)] DateTimeOffset? Until);
