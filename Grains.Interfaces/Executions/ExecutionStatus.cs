namespace AgentOrleans.Grains.Executions;

[GenerateSerializer, Alias("AgentOrleans.ExecutionStatus")]
public enum ExecutionStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,
}
