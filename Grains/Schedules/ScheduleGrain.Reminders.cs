namespace AgentOrleans.Grains.Schedules;

/// <summary>The recovery reminder: registered while the schedule is active, so a surviving silo brings it back.</summary>
internal sealed partial class ScheduleGrain
{
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!IsActive)
        {
            // Deleted, paused or past its end while the reminder was moved or lost: nothing will fire again.
            await UnregisterReminderAsync();
            return;
        }

        // In memory with its timer set: nothing to do. Brought back by this tick: activation armed it already.
        if (_timer is null)
        {
            Arm();
        }
    }

    private async Task SyncReminderAsync()
    {
        if (IsActive)
        {
            if (!_reminderRegistered)
            {
                await this.RegisterOrUpdateReminder(ReminderName, _options.RecoveryReminderPeriod, _options.RecoveryReminderPeriod);
                _reminderRegistered = true;
            }
        }
        else
        {
            await UnregisterReminderAsync();
        }
    }

    private async Task UnregisterReminderAsync()
    {
        _reminderRegistered = false;
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
