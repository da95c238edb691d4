namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The end of a run: the final transition is checkpointed, then its side effects follow, each
/// one that fails logged and left to the recovery reminder's next tick.
/// </summary>
internal sealed partial class ExecutionGrain
{
    /// <summary>Checkpoints what the last transition recorded; when it ended the run, the run's end follows.</summary>
    private Task CheckpointAsync() => Execution.Status.IsTerminal() ? FinishAsync() : CommitAsync();

    /// <summary>Makes the final event durable, then lets go of everything the run held.</summary>
    private async Task FinishAsync()
    {
        await CommitAsync();
        Log.Finished(logger, ExecutionId, Execution.Status.ToWireName());
        metrics.ExecutionFinished(ExecutionId, Execution.WorkflowId, Execution.Status);
        await ReleaseAdmissionAsync();
        if (await EnsureIndexedAsync())
        {
            await RemoveRecoveryReminderAsync();
        }

        LeaveMemory();
    }

    private async Task RemoveRecoveryReminderAsync()
    {
        try
        {
            await UnregisterRecoveryReminderAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The reminder service may be unreachable (its silo just died); the next tick finds the run ended and unregisters.
            Log.ReminderCleanupFailed(logger, ExecutionId, ex);
        }
    }

    /// <summary>
    /// A finished execution leaves memory as soon as its callers are answered: everything it answers
    /// from now on is in storage, and kept active it would burden the GC (docs/decisions.md#finished-executions-deactivate).
    /// </summary>
    private void LeaveMemory() => this.DeactivateOnIdle();
}
