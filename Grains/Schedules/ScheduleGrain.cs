using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Tenants;
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

        var workflow = await workflows.LoadAsync(TenantKey.TenantOf(ScheduleId), spec.WorkflowId, spec.Version);
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
