namespace AgentOrleans.Grains.Executions;

internal sealed partial class ExecutionGrain
{
    /// <summary>
    /// What readers may rely on: the status, result and events as durable. A run whose final
    /// checkpoint is still being written (slow or retried storage) is still reported running, so
    /// no caller sees "succeeded" before the log holds execution.completed
    /// (docs/decisions.md#status-reported-when-durable).
    /// </summary>
    private ExecutionSnapshot? Snapshot()
    {
        if (!Execution.Exists)
        {
            return null;
        }

        var ended = Execution.Status.IsTerminal() && _durableStatus.IsTerminal();
        var status = ended || !Execution.Status.IsTerminal() ? Execution.Status : _durableStatus;
        return new ExecutionSnapshot
        {
            Id = ExecutionId,
            WorkflowId = Execution.WorkflowId,
            Version = Execution.Version,
            Status = status,
            InputJson = Execution.InputJson,
            ResultJson = ended ? Execution.ResultJson : null,
            Error = ended ? Execution.Error : null,
            CurrentNodeId = ended ? null : Execution.CurrentNodeId,
            CurrentAttempt = ended ? null : Execution.CurrentAttempt,
            CreatedAt = Execution.CreatedAt,
            StartedAt = Execution.StartedAt,
            CompletedAt = ended ? Execution.CompletedAt : null,
            LastSeq = _durableSeq,
            CancelRequested = Execution.CancelRequested,
            Parent = Execution.Parent,
            WaitingForPool = _waitingForPool,
            PoolPosition = _poolPosition,
            Priority = Execution.Priority,
            WaitingFor = ended ? [] : WaitingFor(),
            PauseRequested = !ended && Execution.PauseRequested,
            ScheduledFor = Execution.ScheduledFor,
            RerunOf = Execution.RerunOf,
            RerunFrom = Execution.RerunFrom,
            Usage = Execution.Usage,
            Budget = Execution.Budget,
        };
    }

    /// <summary>The wait node's signal, or the tool calls waiting for their approval (also while the attempt runs the calls decided first).</summary>
    private List<SignalWait> WaitingFor()
    {
        var waits = new List<SignalWait>();
        if (Execution.Waiting is { } wait)
        {
            waits.Add(wait);
        }

        waits.AddRange(Execution.Approvals.Select(a => new SignalWait(Execution.CurrentNodeId!, Steps.Approvals.Signal, a.Until, a.Call)));
        return waits;
    }
}
