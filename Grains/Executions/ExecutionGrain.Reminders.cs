namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The recovery reminder: registered with the start, it brings a running execution back to life on
/// a surviving silo, and is removed when the run ends.
/// </summary>
internal sealed partial class ExecutionGrain
{
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (await OnOutboxReminderAsync(reminderName))
        {
            return;
        }

        if (!Execution.Exists || Execution.Status.IsTerminal())
        {
            // A tick that raced the run's end (or woke an execution that never started): clean up and leave
            // memory again, as a finished run does.
            await ReleaseAdmissionAsync();
            if (!await EnsureIndexedAsync())
            {
                return;
            }

            await UnregisterRecoveryReminderAsync();
            LeaveMemory();
            return;
        }

        // Parked in memory with its timer set and not due to wake: the tick has nothing to do, and restarting the loop
        // would put the parking off again (a recovery period no longer than ParkAfter would keep it in memory for ever).
        if (IsParked && _parkTimer is not null && !(WakeAt <= time.GetUtcNow()))
        {
            return;
        }

        EnsureRunLoop();
    }

    private async Task UnregisterRecoveryReminderAsync()
    {
        // The reminder this activation registered is removed as it was returned, etag included: one reminder-table
        // call per run instead of a read and a removal. A resumed activation never registered it and reads it. If
        // the copy is stale the removal throws, and the next tick finds the run ended and removes the current one.
        var reminder = _recoveryReminder ?? await this.GetReminder(RecoveryReminder);
        _recoveryReminder = null;
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
