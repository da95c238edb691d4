using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Schedules;

/// <summary>
/// One schedule. While it is active a grain timer wakes it at its next fire (timers have no floor: an <c>every: 2s</c>
/// schedule fires on time), and a durable reminder at <see cref="ScheduleOptions.RecoveryReminderPeriod"/> brings it
/// back on a surviving silo when its own is lost; every activation makes up the fires it finds due within the
/// catch-up window. Each fire starts <c>sched:{id}:{fire time}</c>, so a fire handled again starts nothing new.
/// What is due, and what a fire does under the overlap policy, is plain code (<see cref="FirePlanner"/>,
/// <see cref="OverlapPolicy"/>); this grain stores, starts and times.
/// </summary>
internal sealed partial class ScheduleGrain(
    [PersistentState("schedule", StorageNames.Grains)] IPersistentState<ScheduleState> state,
    WorkflowLoader workflows,
    IOptions<ScheduleOptions> options,
    TimeProvider time,
    ILogger<ScheduleGrain> logger) : Grain, IScheduleGrain, IRemindable
{
    private const string ReminderName = "schedule";

    // Grain timers take at most about 49 days; a fire further off is reached in steps.
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(1);

    private static readonly TimeSpan RetryAfterFault = TimeSpan.FromSeconds(1);

    private readonly ScheduleOptions _options = options.Value;
    private IGrainTimer? _timer;
    private ScheduleCalendar? _calendar;
    private bool _reminderRegistered;

    private ScheduleState Schedule => state.State;

    private string ScheduleId => this.GetPrimaryKeyString();

    private ScheduleCalendar Calendar => _calendar ??= ScheduleCalendar.For(Schedule.Spec!, Schedule.DefinedAt);

    private DateTimeOffset? NextDue => FirePlanner.NextDue(Calendar, ScheduleId, Schedule.Spec!.Jitter, Schedule.FiredThrough);

    /// <summary>Defined, not paused, and with a fire left (a kept fire counts).</summary>
    private bool IsActive => Schedule is { Exists: true, Spec.Paused: false } && (NextDue is not null || Schedule.BufferedFire is not null);

    private IScheduleRegistryGrain Registry => GrainFactory.GetGrain<IScheduleRegistryGrain>(IScheduleRegistryGrain.GlobalKey);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (IsActive)
        {
            Arm();
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();

        // Hand-over: a silo shutting down forwards this to the schedule's next activation, on another silo, so its fires
        // go on at once rather than at the next reminder tick.
        if (IsActive && reason.ReasonCode == DeactivationReasonCode.ShuttingDown)
        {
            await this.AsReference<IScheduleGrain>().WakeAsync();
        }
    }

    public async Task<SchedulePutResult> PutAsync(ScheduleSpec spec)
    {
        var problems = await CheckAsync(spec);
        if (problems.Count > 0)
        {
            return new SchedulePutResult(false, null, problems);
        }

        var now = time.GetUtcNow();
        var created = !Schedule.Exists;
        if (created)
        {
            // Listed before it exists: a listed id whose schedule is gone is dropped by the list, an unlisted schedule never shows.
            await Registry.AddAsync(ScheduleId);
            Schedule.CreatedAt = now;
        }

        var previous = Schedule.Spec;
        if (created || !previous!.SameTiming(spec))
        {
            Schedule.DefinedAt = now;
            Schedule.FiredThrough = now;
        }
        else if (previous.Paused && !spec.Paused && Schedule.FiredThrough < now)
        {
            // Fires while paused are not made up.
            Schedule.FiredThrough = now;
        }

        if (spec.Paused)
        {
            Schedule.BufferedFire = null;
        }

        Schedule.Exists = true;
        Schedule.Spec = spec;
        Schedule.UpdatedAt = now;
        _calendar = null;
        await state.WriteStateAsync();
        await SyncReminderAsync();
        Arm();
        Log.Defined(logger, ScheduleId, created ? "created" : "updated", spec.WorkflowId, NextDue);
        return new SchedulePutResult(created, View(), []);
    }

    public async Task<ScheduleView?> GetAsync()
    {
        if (!Schedule.Exists)
        {
            return null;
        }

        if (await RefreshRunningAsync())
        {
            await state.WriteStateAsync();
        }

        return View();
    }

    public async Task<bool> DeleteAsync()
    {
        if (!Schedule.Exists)
        {
            return false;
        }

        _timer?.Dispose();
        _timer = null;
        await UnregisterReminderAsync();
        await state.ClearStateAsync();
        state.State = new ScheduleState();
        _calendar = null;
        await Registry.RemoveAsync(ScheduleId);
        Log.Deleted(logger, ScheduleId);
        this.DeactivateOnIdle();
        return true;
    }

    public async Task<ScheduleView?> PauseAsync()
    {
        if (!Schedule.Exists)
        {
            return null;
        }

        if (!Schedule.Spec!.Paused)
        {
            Schedule.Spec = Schedule.Spec with { Paused = true };
            Schedule.BufferedFire = null;
            Schedule.UpdatedAt = time.GetUtcNow();
            await state.WriteStateAsync();
            await SyncReminderAsync();
            Arm();
        }

        return View();
    }

    public async Task<ScheduleView?> ResumeAsync()
    {
        if (!Schedule.Exists)
        {
            return null;
        }

        if (Schedule.Spec!.Paused)
        {
            var now = time.GetUtcNow();
            Schedule.Spec = Schedule.Spec with { Paused = false };
            Schedule.FiredThrough = Schedule.FiredThrough > now ? Schedule.FiredThrough : now;
            Schedule.UpdatedAt = now;
            await state.WriteStateAsync();
            await SyncReminderAsync();
            Arm();
        }

        return View();
    }

    public async Task<FireRecord?> TriggerAsync()
    {
        if (!Schedule.Exists)
        {
            return null;
        }

        await RefreshRunningAsync();
        var record = await FireAsync(time.GetUtcNow(), manual: true);
        await state.WriteStateAsync();
        Arm();
        return record;
    }

    public Task WakeAsync()
    {
        if (IsActive && _timer is null)
        {
            Arm();
        }

        return Task.CompletedTask;
    }

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
        var started = await GrainFactory.GetGrain<IExecutionGrain>(executionId).StartAsync(new StartExecution(spec.WorkflowId, spec.Version, spec.InputJson));
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

    /// <summary>The checks only a silo can make: the workflow (and version) exists, the input matches its schema, the timing reads.</summary>
    private async Task<List<DefinitionProblem>> CheckAsync(ScheduleSpec spec)
    {
        var problems = new List<DefinitionProblem>();
        if (spec.Cron is { } cron && !CronParser.TryParse(cron, out _, out var error))
        {
            problems.Add(new DefinitionProblem("/cron", error!));
        }

        if (spec.Cron is not null && ScheduleCalendar.FindZone(spec.TimeZone) is null)
        {
            problems.Add(new DefinitionProblem("/timeZone", $"unknown time zone '{spec.TimeZone}'"));
        }

        if ((spec.Cron is null) == (spec.Every is null))
        {
            problems.Add(new DefinitionProblem("", "a schedule has either cron or every"));
        }

        var workflow = await workflows.LoadAsync(spec.WorkflowId, spec.Version);
        if (workflow is null)
        {
            problems.Add(spec.Version is null
                ? new DefinitionProblem("/workflowId", $"no workflow '{spec.WorkflowId}' has been published")
                : new DefinitionProblem("/version", $"workflow '{spec.WorkflowId}' has no version {spec.Version}"));
        }
        else if (!StartRequest.TryParseInput(spec.InputJson, workflow, out _, out var inputProblems))
        {
            problems.AddRange(inputProblems.Select(p => p with { Pointer = "/input" + p.Pointer.TrimEnd('/') }));
        }

        return problems;
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

    private ScheduleView View()
    {
        var spec = Schedule.Spec!;
        var ended = NextDue is null && Schedule.BufferedFire is null;
        return new ScheduleView
        {
            Id = ScheduleId,
            Spec = spec,
            State = spec.Paused ? "paused" : ended ? "ended" : "active",
            CreatedAt = Schedule.CreatedAt,
            UpdatedAt = Schedule.UpdatedAt,
            NextFires = spec.Paused ? [] : Calendar.Next(Schedule.FiredThrough, 5),
            LastFires = Enumerable.Reverse(Schedule.LastFires).ToList(),
            Running = [.. Schedule.Running],
            BufferedFire = Schedule.BufferedFire,
            MissedFires = Schedule.MissedFires,
        };
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Schedule {ScheduleId} {Change} for workflow {WorkflowId}; next fire due {NextDue}")]
        public static partial void Defined(ILogger logger, string scheduleId, string change, string workflowId, DateTimeOffset? nextDue);

        [LoggerMessage(2, LogLevel.Information, "Schedule {ScheduleId} deleted")]
        public static partial void Deleted(ILogger logger, string scheduleId);

        [LoggerMessage(3, LogLevel.Warning, "Schedule {ScheduleId} could not handle its due fires; trying again shortly")]
        public static partial void FireFailed(ILogger logger, string scheduleId, Exception exception);

        [LoggerMessage(4, LogLevel.Warning, "Schedule {ScheduleId} missed {Count} fire(s) older than its catch-up window of {Window}; they are not made up")]
        public static partial void Missed(ILogger logger, string scheduleId, long count, TimeSpan window);

        [LoggerMessage(5, LogLevel.Information, "Schedule {ScheduleId} has no fire left before its end")]
        public static partial void Ended(ILogger logger, string scheduleId);

        [LoggerMessage(6, LogLevel.Warning, "Schedule {ScheduleId}: the start of {ExecutionId} was {Outcome}: {Message}")]
        public static partial void StartRefused(ILogger logger, string scheduleId, string executionId, string outcome, string? message);
    }
}
