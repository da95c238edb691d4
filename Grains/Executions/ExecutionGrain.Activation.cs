namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Activation and deactivation: a running execution resumes its loop wherever it is activated,
/// and hands itself over when its silo shuts down; a finished one only visits memory.
/// </summary>
internal sealed partial class ExecutionGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _transitions = new ExecutionTransitions(Execution, _options, time, ExecutionId);
        _durableSeq = Execution.LastSeq;
        _durableStatus = Execution.Status;
        if (Execution.Exists && !Execution.Status.IsTerminal())
        {
            Log.Resuming(logger, ExecutionId, Execution.CurrentNodeId, Execution.CurrentAttempt);
            CountInMemory();
            EnsureRunLoop();
        }
        else if (Execution.Exists)
        {
            // Brought back by a read: serve the reads that follow from memory for a while, then leave again.
            this.RegisterGrainTimer(() =>
            {
                this.DeactivateOnIdle();
                return Task.CompletedTask;
            }, new GrainTimerCreationOptions(_options.FinishedKeepAlive, Timeout.InfiniteTimeSpan));
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The run is not cancelled: it stays checkpointed as running and resumes wherever the grain is activated next.
        _shutdown.Cancel();
        metrics.Untrack(ExecutionId);
        UncountInMemory();
        if (_runLoop is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
        }

        // Hand-over: a message sent to an activation that is deactivating is forwarded to its next
        // activation, which a silo that is shutting down does not host. Without this the run would
        // wait for the recovery reminder (up to its period, 1 min by default) on another silo.
        // A parked run needs none: nothing is in flight, and its reminder or the next call brings it back.
        if (Execution.Exists && !Execution.Status.IsTerminal() && !IsParked && reason.ReasonCode is DeactivationReasonCode.ShuttingDown or DeactivationReasonCode.ActivationIdle)
        {
            await this.AsReference<IExecutionGrain>().WakeAsync();
        }
    }
}
