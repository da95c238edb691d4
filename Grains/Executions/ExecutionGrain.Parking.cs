namespace AgentOrleans.Grains.Executions;

/// <summary>
/// A run that waits for a signal, is paused, or sleeps through a long delay holds no task and leaves
/// memory: after <see cref="ExecutionOptions.ParkAfter"/> (at once for a sleep) the activation goes, and the
/// recovery reminder is moved to when the run must wake by itself (a wait's timeout, the end of a sleep,
/// the execution's deadline), or removed when nothing will. A signal, resume, cancel or read brings it back
/// on any silo; storage holds everything it needs.
/// </summary>
internal sealed partial class ExecutionGrain
{
    private bool IsParked =>
        Execution.Status is ExecutionStatus.Waiting or ExecutionStatus.Paused or ExecutionStatus.Scheduled || Execution.SleepingUntil is not null;

    /// <summary>When the parked run must wake by itself, if ever.</summary>
    private DateTimeOffset? WakeAt =>
        new[] { Execution.Waiting?.Until, Execution.SleepingUntil, Execution.Deadline, Execution.ScheduledFor }
            .Concat(Execution.Approvals.Select(a => a.Until))
            .Where(at => at is not null)
            .Min();

    /// <summary>After the run loop stops at a wait, a pause or a sleep: a timer wakes it in memory, or parks it.</summary>
    private void ScheduleParking(bool parkLater = false)
    {
        if (!IsParked || Execution.Status.IsTerminal() || _shutdown.IsCancellationRequested)
        {
            return;
        }

        var untilWake = WakeAt is { } at ? Max(at - time.GetUtcNow(), TimeSpan.Zero) : Timeout.InfiniteTimeSpan;
        var untilPark = Execution.SleepingUntil is not null && !parkLater ? TimeSpan.Zero : _options.ParkAfter;
        var wakeFirst = untilWake != Timeout.InfiniteTimeSpan && untilWake <= untilPark;
        _parkTimer?.Dispose();
        _parkTimer = this.RegisterGrainTimer(
            () => wakeFirst ? WakeAsync() : ParkAsync(),
            new GrainTimerCreationOptions(wakeFirst ? untilWake : untilPark, Timeout.InfiniteTimeSpan));
    }

    private async Task ParkAsync()
    {
        if (!IsParked || Execution.Status.IsTerminal())
        {
            return;
        }

        if (DeferForLongPolls())
        {
            return;
        }

        // The reminder ticks only when the run must wake by itself; a run with nothing to wake for costs storage alone.
        if (WakeAt is { } at)
        {
            _recoveryReminder = await this.RegisterOrUpdateReminder(RecoveryReminder, Max(at - time.GetUtcNow(), TimeSpan.Zero), _options.RecoveryReminderPeriod);
        }
        else
        {
            await UnregisterRecoveryReminderAsync();
        }

        // A signal or resume taken meanwhile restarted the loop (and put the recovery reminder back): the run stays.
        if (IsParked && _runLoop is not { IsCompleted: false } && !DeferForLongPolls())
        {
            Log.Parked(logger, ExecutionId, Execution.Status.ToWireName(), WakeAt);
            this.DeactivateOnIdle();
        }
    }

    /// <summary>
    /// A deactivating activation holds every message, its reminder's tick included, until the calls it serves return:
    /// with a caller long-polling it, the run would wake as late as that call's timeout. Parking waits for them.
    /// </summary>
    private bool DeferForLongPolls()
    {
        if (_longPolls == 0)
        {
            return false;
        }

        ScheduleParking(parkLater: true);
        return true;
    }

    /// <summary>A parked run goes on (a signal taken, a resume): its recovery reminder back, the change checkpointed, the loop running.</summary>
    private async Task ContinueAfterParkAsync()
    {
        // Written side by side, as at the start: both must hold before the caller is answered.
        var reminder = Execution.Status.IsTerminal() ? null : this.RegisterOrUpdateReminder(RecoveryReminder, _options.RecoveryReminderPeriod, _options.RecoveryReminderPeriod);

        // Before the awaits: a loop that starts meanwhile (this call activated the grain) must not record a resume of the node.
        _enteredInThisActivation = reminder is not null;
        await CheckpointAsync();
        if (reminder is not null)
        {
            _recoveryReminder = await reminder;
            EnsureRunLoop();
        }
    }
}
