using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Executions;

/// <summary>How a run ends: stopped by cancel or its deadline, or finished with its status-specific final event.</summary>
internal sealed partial class ExecutionTransitions
{
    /// <summary>
    /// The run was stopped: it ends cancelled (a cancel was requested) or timed out (its deadline
    /// passed), and true is returned; otherwise the activation is only shutting down and nothing
    /// changes, since the checkpoint already says which node to resume.
    /// </summary>
    public bool Stop(bool cancelRequested, bool pastDeadline, IReadOnlyList<string> stoppedNodes, bool abandoned, TimeSpan? workflowTimeout)
    {
        if (cancelRequested || state.CancelRequested)
        {
            Finish(ExecutionStatus.Cancelled, error: null, stoppedNodes, abandoned);
            return true;
        }

        if (pastDeadline)
        {
            Finish(
                ExecutionStatus.TimedOut,
                new ExecutionError("ExecutionTimedOut", $"the execution passed its overall timeout of {workflowTimeout}", state.CurrentNodeId, state.CurrentAttempt),
                stoppedNodes);
            return true;
        }

        return false;
    }

    /// <summary>The run failed outside any step (its workflow is gone, a storage fault the loop could not ride out).</summary>
    public void Fail(string errorType, string message) =>
        Finish(ExecutionStatus.Failed, new ExecutionError(errorType, message, state.CurrentNodeId, state.CurrentAttempt));

    private void Finish(ExecutionStatus status, ExecutionError? error, IReadOnlyList<string>? stoppedNodes = null, bool abandoned = false)
    {
        state.Status = status;
        state.Error = error;
        state.CompletedAt = time.GetUtcNow();
        state.NextAttemptAt = null;
        state.Waiting = null;
        ClearApprovals();
        state.SleepingUntil = null;
        state.PauseRequested = false;
        var data = new JsonObject { ["status"] = status.ToWireName() };
        switch (status)
        {
            case ExecutionStatus.Succeeded:
                data["result"] = JsonNode.Parse(state.ResultJson ?? "null");
                break;
            case ExecutionStatus.Cancelled:
                data["reason"] = state.CancelReason;
                data["stoppedNodes"] = EventData.Nodes(stoppedNodes ?? []);
                data["abandoned"] = abandoned;
                data.WithBy(state.CancelBy);
                break;
            default:
                data["error"] = error is null ? null : EventData.Error(error.Type, error.Message);
                data["stoppedNodes"] = stoppedNodes is null ? null : EventData.Nodes(stoppedNodes);
                break;
        }

        Append(status switch
        {
            ExecutionStatus.Succeeded => EventTypes.ExecutionCompleted,
            ExecutionStatus.Cancelled => EventTypes.ExecutionCancelled,
            ExecutionStatus.TimedOut => EventTypes.ExecutionTimedOut,
            _ => EventTypes.ExecutionFailed,
        }, data: data);
    }
}
