using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Executions;

/// <summary>A start with a start time ahead: recorded scheduled, released to queued when its time comes.</summary>
internal sealed partial class ExecutionTransitions
{
    /// <summary>The queued execution waits until <paramref name="at"/>: status scheduled. Its overall timeout counts from its begin.</summary>
    public void Schedule(DateTimeOffset at)
    {
        state.Status = ExecutionStatus.Scheduled;
        state.ScheduledFor = at;
        state.Deadline = null;
        Append(EventTypes.ExecutionScheduled, data: new JsonObject { ["startAt"] = at.ToUniversalTime() });
    }

    /// <summary>The start time came (or a cancel did): queued again, the overall timeout counting from now.</summary>
    public void Release(TimeSpan? workflowTimeout)
    {
        state.Status = ExecutionStatus.Queued;
        state.ScheduledFor = null;
        state.Deadline = workflowTimeout is { } timeout ? time.GetUtcNow() + timeout : null;
    }
}
