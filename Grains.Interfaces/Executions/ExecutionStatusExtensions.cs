namespace AgentOrleans.Grains.Executions;

public static class ExecutionStatusExtensions
{
    public static bool IsTerminal(this ExecutionStatus status) =>
        status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled or ExecutionStatus.TimedOut;

    /// <summary>The wire name: <c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>cancelled</c>, <c>timed_out</c>, <c>waiting</c>, <c>paused</c>, <c>scheduled</c>.</summary>
    public static string ToWireName(this ExecutionStatus status) => status switch
    {
        ExecutionStatus.TimedOut => "timed_out",
        _ => status.ToString().ToLowerInvariant(),
    };
}
