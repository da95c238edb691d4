using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Retention;

/// <summary>A definition's <c>retention</c>: how long its finished executions are kept, per status; a null one keeps the configured default.</summary>
public sealed record WorkflowRetention(TimeSpan? Succeeded, TimeSpan? Failed, TimeSpan? Cancelled)
{
    public TimeSpan? For(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Failed or ExecutionStatus.TimedOut => Failed,
        ExecutionStatus.Cancelled => Cancelled,
        _ => Succeeded,
    };
}
