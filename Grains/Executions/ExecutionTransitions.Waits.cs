using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The waits a run goes through between attempts: the delay before a retry (durable, so a resumed
/// run waits out what is left of it) and the wait for resource pools, which the node's clock does not count.
/// </summary>
internal sealed partial class ExecutionTransitions
{
    /// <summary>The run waits until <see cref="ExecutionState.NextAttemptAt"/>, then the next attempt begins.</summary>
    private void ScheduleRetry(CompiledNode node, AttemptOutcome.Failed failed, double jitter)
    {
        var delay = Max(node.Retry.DelayBefore(state.CurrentAttempt + 1, jitter), failed.RetryAfter ?? TimeSpan.Zero);
        state.NextAttemptAt = time.GetUtcNow() + delay;
        var data = EventData.Error(failed.ErrorType, failed.Message);
        data["nextAttempt"] = state.CurrentAttempt + 1;
        data["delayMs"] = (long)delay.TotalMilliseconds;
        if (state.AttemptEmittedProgress)
        {
            // The next attempt streams its output again from the start (LLM tokens): what this one emitted is void.
            data["discardProgress"] = true;
        }

        Append(EventTypes.NodeRetrying, node.Id, state.CurrentAttempt, data);
    }

    /// <summary>The retry delay has passed: the next attempt of the current node starts.</summary>
    public void BeginRetryAttempt()
    {
        state.NextAttemptAt = null;
        state.CurrentAttempt++;
        state.AttemptStartedAt = time.GetUtcNow();
        state.Journal.Clear();
        ClearApprovals();
        state.CountedChildren.Clear();
        Append(EventTypes.NodeStarted, state.CurrentNodeId, state.CurrentAttempt);
    }

    /// <summary>
    /// The node's timeout (and a delay step's duration) count from when the permits were granted, not
    /// from when the node started waiting for them.
    /// </summary>
    public void WaitedForPools(TimeSpan waited) => state.AttemptStartedAt += waited;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
