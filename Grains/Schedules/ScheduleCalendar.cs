using Cronos;

namespace AgentOrleans.Grains.Schedules;

/// <summary>
/// When a schedule fires: Cronos for cron expressions (in their time zone, DST included), plain arithmetic for a
/// fixed period. Fire times are nominal (jitter is added by <see cref="FirePlanner"/>), bounded by startAt and endAt,
/// and the same on every silo for the same definition: they name the executions.
/// </summary>
public sealed class ScheduleCalendar
{
    private readonly CronExpression? _cron;
    private readonly TimeZoneInfo _zone;
    private readonly TimeSpan _every;
    private readonly DateTimeOffset _origin;
    private readonly DateTimeOffset? _startAt;
    private readonly DateTimeOffset? _endAt;

    private ScheduleCalendar(CronExpression? cron, TimeZoneInfo zone, TimeSpan every, DateTimeOffset origin, DateTimeOffset? startAt, DateTimeOffset? endAt)
    {
        _cron = cron;
        _zone = zone;
        _every = every;
        _origin = origin;
        _startAt = startAt;
        _endAt = endAt;
    }

    /// <summary>
    /// The calendar of <paramref name="spec"/>. <paramref name="definedAt"/> is when its timing was last defined: a
    /// period without startAt first fires one period after it.
    /// </summary>
    public static ScheduleCalendar For(ScheduleSpec spec, DateTimeOffset definedAt)
    {
        if (spec.Cron is { } cron)
        {
            return new ScheduleCalendar(CronParser.Parse(cron), ZoneOf(spec.TimeZone), TimeSpan.Zero, default, spec.StartAt, spec.EndAt);
        }

        var every = spec.Every ?? throw new ArgumentException("a schedule has a cron expression or a period", nameof(spec));
        return new ScheduleCalendar(null, TimeZoneInfo.Utc, every, spec.StartAt ?? definedAt + every, spec.StartAt, spec.EndAt);
    }

    /// <summary>The first fire strictly after <paramref name="after"/>, or null when none is left before endAt.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        try
        {
            return Compute(after);
        }
        catch (ArgumentOutOfRangeException)
        {
            // Past the end of time (a start at year 9999, a period of years): no fire is left.
            return null;
        }
    }

    private DateTimeOffset? Compute(DateTimeOffset after)
    {
        DateTimeOffset? next;
        if (_cron is not null)
        {
            next = _startAt is { } start && after < start
                ? _cron.GetNextOccurrence(start, _zone, inclusive: true)
                : _cron.GetNextOccurrence(after, _zone, inclusive: false);
            next = next?.ToUniversalTime();
        }
        else if (after < _origin)
        {
            next = _origin;
        }
        else
        {
            var periods = (after - _origin).Ticks / _every.Ticks + 1;
            next = _origin + TimeSpan.FromTicks(periods * _every.Ticks);
        }

        return next is { } at && (_endAt is null || at <= _endAt) ? at.ToUniversalTime() : null;
    }

    /// <summary>Up to <paramref name="count"/> fires after <paramref name="after"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Next(DateTimeOffset after, int count)
    {
        var fires = new List<DateTimeOffset>(count);
        var at = after;
        while (fires.Count < count && NextAfter(at) is { } next)
        {
            fires.Add(next);
            at = next;
        }

        return fires;
    }

    /// <summary>An IANA (or Windows) time zone id, or null when this machine knows none of that name.</summary>
    public static TimeZoneInfo? FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException
            or System.Security.SecurityException or IOException or UnauthorizedAccessException)
        {
            // A folder of the zone database ("Europe") is "found" but cannot be read as a zone.
            return null;
        }
    }

    private static TimeZoneInfo ZoneOf(string id) => FindZone(id) ?? throw new ArgumentException($"unknown time zone '{id}'", nameof(id));
}

/// <summary>Cron expressions as schedules write them: 5 fields (minute first) or 6 (seconds first), Cronos' syntax.</summary>
public static class CronParser
{
    public static CronExpression Parse(string expression) => CronExpression.Parse(expression, FormatOf(expression));

    /// <summary>The expression, or the parser's message saying what is wrong with it.</summary>
    public static bool TryParse(string expression, out CronExpression? cron, out string? error)
    {
        cron = null;
        error = null;
        try
        {
            cron = Parse(expression);
            return true;
        }
        catch (CronFormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    // Macros (@daily) have one field; six fields carry seconds.
    private static CronFormat FormatOf(string expression) =>
        expression.Split(' ', '\t').Count(f => f.Length > 0) == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
}
