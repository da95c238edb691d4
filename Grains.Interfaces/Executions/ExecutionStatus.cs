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

    /// <summary>Parked on a <c>wait</c> node until its signal arrives or its timeout passes.</summary>
    Waiting,

    /// <summary>Paused at a node boundary by a caller; resumes on <c>resume</c>.</summary>
    Paused,

    /// <summary>Started with a start time still ahead (<c>startAt</c>, <c>startAfter</c>): it begins then, and can be cancelled until it does.</summary>
    Scheduled,
}
