using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Api.Executions;

/// <summary>An event of a merged read: the event, its execution's path (null for the execution read) and the position after it.</summary>
internal sealed record MergedEvent(ExecutionEvent Event, string? Path, string Position);
