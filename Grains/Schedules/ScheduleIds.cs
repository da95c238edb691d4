using System.Globalization;

namespace AgentOrleans.Grains.Schedules;

/// <summary>
/// The execution a fire starts: <c>sched:{scheduleId}:{fire time}</c>, the fire time in ISO 8601 UTC to the second
/// (milliseconds only when it has some), so a fire handled twice, on any silo, names the same execution. A schedule id
/// holds no ':' (it is a workflow-style id), so the id reads back unambiguously.
/// </summary>
public static class ScheduleIds
{
    public const string Prefix = "sched:";

    public static string Execution(string scheduleId, DateTimeOffset fireTime) => $"{Prefix}{scheduleId}:{Format(fireTime)}";

    public static string Format(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return utc.Millisecond == 0 && utc.Ticks % TimeSpan.TicksPerMillisecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
