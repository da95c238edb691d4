using Orleans.Concurrency;

namespace AgentOrleans.Grains.Schedules;

/// <summary>
/// One schedule, keyed by schedule id: its definition, its fires and the executions they started. It fires on
/// silos only; each fire starts the execution <c>sched:{scheduleId}:{fire time}</c>, so a fire handled twice
/// starts one execution.
/// </summary>
[Alias("AgentOrleans.IScheduleGrain")]
public interface IScheduleGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the schedule; a change of its timing makes only fires after now due.</summary>
    [Alias("Put")]
    Task<SchedulePutResult> PutAsync(ScheduleSpec spec);

    /// <summary>The schedule, its next fires and what runs; null when there is none.</summary>
    [Alias("Get")]
    Task<ScheduleView?> GetAsync();

    /// <summary>Deletes the schedule; executions it started go on. False when there was none.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();

    /// <summary>Stops firing (fires while paused are not made up); idempotent. Null when there is no schedule.</summary>
    [Alias("Pause")]
    Task<ScheduleView?> PauseAsync();

    /// <summary>Fires again from now on; idempotent. Null when there is no schedule.</summary>
    [Alias("Resume")]
    Task<ScheduleView?> ResumeAsync();

    /// <summary>Fires now, outside the calendar, under the overlap policy. Null when there is no schedule.</summary>
    [Alias("Trigger")]
    Task<FireRecord?> TriggerAsync();

    /// <summary>Brings the schedule back to life on this silo (the hand-over of a silo that shuts down).</summary>
    [Alias("Wake"), OneWay]
    Task WakeAsync();
}

/// <summary>The ids of every schedule, for listing them page by page.</summary>
[Alias("AgentOrleans.IScheduleRegistryGrain")]
public interface IScheduleRegistryGrain : IGrainWithStringKey
{
    public const string GlobalKey = "global";

    [Alias("Add")]
    Task AddAsync(string scheduleId);

    [Alias("Remove")]
    Task RemoveAsync(string scheduleId);

    /// <summary>
    /// <paramref name="tenant"/>'s schedules: up to <paramref name="limit"/> grain keys whose ids come after
    /// <paramref name="after"/> (an id, without the tenant) in ordinal order, whether more follow, and the tenant's total.
    /// </summary>
    [Alias("ListTenant"), ReadOnly]
    Task<SchedulePage> ListAsync(string tenant, string? after, int limit);
}

[GenerateSerializer, Immutable, Alias("AgentOrleans.SchedulePage")]
public sealed record SchedulePage(
    [property: Id(0)] IReadOnlyList<string> Ids,
    [property: Id(1)] bool More,
    [property: Id(2)] int Total);
