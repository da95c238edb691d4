using System.Globalization;
using AgentOrleans.Grains.Tenants;

namespace AgentOrleans.Grains.Schedules;

/// <summary>
/// The execution a fire starts: <c>sched:{scheduleId}:{fire time}</c>, the fire time in ISO 8601 UTC to the second
/// (milliseconds only when it has some), so a fire handled twice, on any silo, names the same execution. A schedule id
/// holds no ':' (it is a workflow-style id), so the id reads back unambiguously. Given a schedule's grain key, it
/// gives the execution's grain key in the same tenant (<see cref="TenantKey"/>): a schedule fires in its tenant.
/// </summary>
public static class ScheduleIds
{
    public const string Prefix = "sched:";

    public static string Execution(string scheduleKey, DateTimeOffset fireTime)
    {
        var (tenant, scheduleId) = TenantKey.Parse(scheduleKey);
        return TenantKey.Scope(tenant, $"{Prefix}{scheduleId}:{Format(fireTime)}");
    }

    public static string Format(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return utc.Millisecond == 0 && utc.Ticks % TimeSpan.TicksPerMillisecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
