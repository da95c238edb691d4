using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Schedules;

/// <summary>Firing: the timer, the fires due, each under the overlap policy, and the runs the schedule follows.</summary>
internal sealed partial class ScheduleGrain
{
    /// <summary>Sets the timer for the next thing due: a fire (plus its jitter), or a look at the run a kept fire waits for.</summary>
    private void Arm(TimeSpan? retryIn = null)
    {
        _timer?.Dispose();
        _timer = null;
        if (!IsActive)
        {
            return;
        }

        var now = time.GetUtcNow();
        var at = NextDue;
        if (Schedule.BufferedFire is not null)
        {
            var look = Schedule.Running.Count == 0 ? now : now + _options.BufferPollInterval;
            at = at is null || look < at ? look : at;
        }

        if (retryIn is { } retry && (at is null || now + retry < at))
        {
            at = now + retry;
        }

        var due = at!.Value - now;
        due = due < TimeSpan.Zero ? TimeSpan.Zero : due > MaxTimerDue ? MaxTimerDue : due;
        _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task TickAsync()
    {
        _timer?.Dispose();
        _timer = null;
        TimeSpan? retry = null;
        try
        {
            await FireDueAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The cluster or storage could not answer: what was handled is kept, the rest is due again in a second.
            Log.FireFailed(logger, ScheduleId, ex);
            retry = RetryAfterFault;
        }

        Arm(retry);
    }

    /// <summary>Handles every fire due now: a kept fire whose run ended, then the calendar's, oldest first.</summary>
    private async Task FireDueAsync()
    {
        if (!IsActive)
        {
            return;
        }

        var spec = Schedule.Spec!;
        var now = time.GetUtcNow();
        var plan = FirePlanner.Plan(Calendar, ScheduleId, spec.Jitter, Schedule.FiredThrough, now, spec.CatchUpWindow, _options.LateFireTolerance);
        var changed = false;
        try
        {
            if (plan.Due.Count > 0 || Schedule.BufferedFire is not null)
            {
                changed |= await RefreshRunningAsync();
            }

            if (OverlapPolicy.StartsBuffered(Schedule.BufferedFire is not null, Schedule.Running.Count))
            {
                var kept = Schedule.BufferedFire!.Value;
                await StartAsync(kept, manual: false);
                Schedule.BufferedFire = null;
                changed = true;
            }

            foreach (var at in plan.Due)
            {
                await FireAsync(at, manual: false);
                Schedule.FiredThrough = at;
                changed = true;
            }

            if (plan.Missed > 0)
            {
                Schedule.MissedFires += plan.Missed;
                Log.Missed(logger, ScheduleId, plan.Missed, spec.CatchUpWindow);
            }

            if (plan.Through > Schedule.FiredThrough)
            {
                Schedule.FiredThrough = plan.Through;
                changed = true;
            }
        }
        finally
        {
            if (changed)
            {
                await state.WriteStateAsync();
            }
        }

        if (!IsActive)
        {
            Log.Ended(logger, ScheduleId);
            await UnregisterReminderAsync();
        }
    }

    /// <summary>One fire, under the overlap policy: started, skipped, kept, or started after cancelling what runs.</summary>
    private async Task<FireRecord> FireAsync(DateTimeOffset at, bool manual)
    {
        var spec = Schedule.Spec!;
        switch (OverlapPolicy.Decide(spec.Overlap, Schedule.Running.Count, Schedule.BufferedFire is not null))
        {
            case FireAction.Skip:
                return Record(new FireRecord(at, time.GetUtcNow(), null, FireOutcomes.Skipped) { Manual = manual, Message = $"{Schedule.Running.Count} execution(s) of earlier fires still running" });
            case FireAction.Buffer:
                Schedule.BufferedFire = at;
                return Record(new FireRecord(at, time.GetUtcNow(), null, FireOutcomes.Buffered) { Manual = manual });
            case FireAction.CancelPreviousAndStart:
                await CancelRunningAsync(at);
                return await StartAsync(at, manual);
            default:
                return await StartAsync(at, manual);
        }
    }

    private async Task<FireRecord> StartAsync(DateTimeOffset at, bool manual)
    {
        var spec = Schedule.Spec!;
        var executionId = ScheduleIds.Execution(ScheduleId, at);
        var started = await GrainFactory.GetGrain<IExecutionGrain>(executionId).StartAsync(new StartExecution(spec.WorkflowId, spec.Version, spec.InputJson) { ScheduleKey = this.GetPrimaryKeyString() });
        var now = time.GetUtcNow();
        var record = started.Outcome switch
        {
            // Conflict: the fire was handled before, under an earlier definition of the schedule. It is still this fire's run.
            StartOutcome.Started or StartOutcome.AlreadyStarted or StartOutcome.Conflict when started.Execution is { } execution =>
                new FireRecord(at, now, executionId, execution.Status.ToWireName()),
            StartOutcome.Overloaded => new FireRecord(at, now, null, FireOutcomes.Overloaded) { Message = (started.Problems.Count > 0 ? started.Problems[0].Message : null) },
            StartOutcome.WorkflowNotFound => new FireRecord(at, now, null, FireOutcomes.Refused)
            {
                Message = spec.Version is null ? $"no workflow '{spec.WorkflowId}' is published" : $"workflow '{spec.WorkflowId}' has no version {spec.Version}",
            },
            _ => new FireRecord(at, now, null, FireOutcomes.Refused) { Message = string.Join("; ", started.Problems.Select(p => $"/input{p.Pointer}: {p.Message}")) },
        };

        if (record.ExecutionId is not null && started.Execution is { IsTerminal: false } && !Schedule.Running.Contains(executionId))
        {
            Schedule.Running.Add(executionId);
            if (Schedule.Running.Count > _options.MaxTrackedRuns)
            {
                Schedule.Running.RemoveAt(0);
            }
        }

        if (record.Outcome == FireOutcomes.Overloaded || record.Outcome == FireOutcomes.Refused)
        {
            Log.StartRefused(logger, ScheduleId, executionId, record.Outcome, record.Message);
        }

        return Record(record with { Manual = manual });
    }

    private async Task CancelRunningAsync(DateTimeOffset at)
    {
        var reason = $"schedule '{ScheduleId}': the fire at {ScheduleIds.Format(at)} replaces it (overlap cancelPrevious)";
        var results = await Task.WhenAll(Schedule.Running.Select(async id => (Id: id, Result: await GrainFactory.GetGrain<IExecutionGrain>(id).CancelAsync(reason))));
        foreach (var (id, result) in results)
        {
            SetOutcome(id, result.Accepted ? ExecutionStatus.Cancelled.ToWireName() : result.Status?.ToWireName() ?? "unknown");
        }

        Schedule.Running.Clear();
    }

    /// <summary>Looks at each run this schedule follows: ended ones are dropped, each fire's outcome brought up to date. True when anything changed.</summary>
    private async Task<bool> RefreshRunningAsync()
    {
        if (Schedule.Running.Count == 0)
        {
            return false;
        }

        var snapshots = await Task.WhenAll(Schedule.Running.Select(id => GrainFactory.GetGrain<IExecutionGrain>(id).GetAsync()));
        var changed = false;
        for (var i = snapshots.Length - 1; i >= 0; i--)
        {
            var id = Schedule.Running[i];
            var snapshot = snapshots[i];
            changed |= SetOutcome(id, snapshot?.Status.ToWireName() ?? "unknown");
            if (snapshot is null or { IsTerminal: true })
            {
                Schedule.Running.RemoveAt(i);
                changed = true;
            }
        }

        return changed;
    }

    private bool SetOutcome(string executionId, string outcome)
    {
        var index = Schedule.LastFires.FindLastIndex(f => f.ExecutionId == executionId);
        if (index < 0 || Schedule.LastFires[index].Outcome == outcome)
        {
            return false;
        }

        Schedule.LastFires[index] = Schedule.LastFires[index] with { Outcome = outcome };
        return true;
    }

    /// <summary>Keeps the fire, replacing the earlier record of the same fire (a kept fire that now started).</summary>
    private FireRecord Record(FireRecord record)
    {
        var index = Schedule.LastFires.FindLastIndex(f => f.At == record.At && f.Manual == record.Manual);
        if (index >= 0)
        {
            Schedule.LastFires[index] = record;
        }
        else
        {
            Schedule.LastFires.Add(record);
            if (Schedule.LastFires.Count > _options.KeptFires)
            {
                Schedule.LastFires.RemoveRange(0, Schedule.LastFires.Count - _options.KeptFires);
            }
        }

        return record;
    }
}
