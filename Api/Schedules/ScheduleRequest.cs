using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Schedules;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Api.Schedules;

/// <summary>
/// The body of <c>PUT /v1/schedules/{id}</c>, read with every problem listed by its pointer: <c>workflowId</c>,
/// <c>version?</c>, <c>input?</c>; <c>cron</c> (5 or 6 fields) with <c>timeZone?</c> (IANA, default UTC), or
/// <c>every</c> (at least 1 s); <c>startAt?</c>, <c>endAt?</c>, <c>jitter?</c>, <c>overlap?</c>, <c>catchUpWindow?</c>, <c>paused?</c>.
/// </summary>
public static class ScheduleRequest
{
    public static readonly TimeSpan MinimumEvery = TimeSpan.FromSeconds(1);

    /// <summary>The longest duration a schedule takes (every, jitter, catchUpWindow): beyond it time arithmetic would overflow.</summary>
    public static readonly TimeSpan MaximumDuration = TimeSpan.FromDays(3650);

    private static readonly string[] Fields =
        ["workflowId", "version", "input", "cron", "timeZone", "every", "startAt", "endAt", "jitter", "overlap", "catchUpWindow", "paused"];

    public static ScheduleSpec? Parse(string text, ProblemList problems)
    {
        var body = StartFields.ReadObject(text, problems, "{\"workflowId\": \"…\", \"every\": \"10s\"} or {\"workflowId\": \"…\", \"cron\": \"0 9 * * *\", \"timeZone\": \"Europe/Berlin\"}");
        if (body is null)
        {
            return null;
        }

        StartFields.RefuseUnknown(body, Fields, problems);
        var workflowId = StartFields.ReadWorkflowId(body, problems);
        var version = StartFields.ReadVersion(body, problems);

        var cron = ReadString(body, "cron", problems);
        var timeZone = ReadString(body, "timeZone", problems);
        var every = ReadDuration(body, "every", problems, allowZero: false);
        if (cron is not null && !CronParser.TryParse(cron, out _, out var cronError))
        {
            problems.Add("/cron", cronError!);
        }

        if (timeZone is not null && ScheduleCalendar.FindZone(timeZone) is null)
        {
            problems.Add("/timeZone", $"unknown time zone '{timeZone}'; expected an IANA name such as Europe/Berlin or UTC");
        }

        if (every is { } period && period < MinimumEvery)
        {
            problems.Add("/every", $"must be at least 1s, was {ScheduleDurations.Format(period)}");
        }

        var hasCron = body.ContainsKey("cron");
        var hasEvery = body.ContainsKey("every");
        if (hasCron == hasEvery)
        {
            problems.Add("", hasCron ? "has both cron and every; a schedule has one of them" : "needs cron (with timeZone) or every");
        }
        else if (hasEvery && body.ContainsKey("timeZone"))
        {
            problems.Add("/timeZone", "applies to cron only; every is a fixed period");
        }

        var startAt = ReadTime(body, "startAt", problems);
        var endAt = ReadTime(body, "endAt", problems);
        if (startAt is not null && endAt is not null && endAt < startAt)
        {
            problems.Add("/endAt", $"is before startAt ({startAt:O})");
        }

        var jitter = ReadDuration(body, "jitter", problems, allowZero: true) ?? TimeSpan.Zero;
        if (every is { } p && jitter >= p && p >= MinimumEvery)
        {
            problems.Add("/jitter", $"must be shorter than every ({ScheduleDurations.Format(p)})");
        }

        var catchUp = ReadDuration(body, "catchUpWindow", problems, allowZero: true) ?? TimeSpan.FromMinutes(1);
        var overlap = ReadOverlap(body, problems);
        var paused = false;
        if (body["paused"] is { } pausedNode && !(pausedNode is JsonValue flag && flag.TryGetValue(out paused)))
        {
            problems.Add("/paused", "must be true or false");
        }

        return problems.Count > 0 ? null : new ScheduleSpec
        {
            WorkflowId = workflowId!,
            Version = version,
            InputJson = body["input"]?.ToJsonString(),
            Cron = cron,
            TimeZone = timeZone ?? "UTC",
            Every = every,
            StartAt = startAt?.ToUniversalTime(),
            EndAt = endAt?.ToUniversalTime(),
            Jitter = jitter,
            Overlap = overlap,
            CatchUpWindow = catchUp,
            Paused = paused,
        };
    }

    private static string? ReadString(JsonObject body, string name, ProblemList problems)
    {
        if (body[name] is not { } node)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text)
        {
            return text;
        }

        problems.Add($"/{name}", "must be a non-empty string");
        return null;
    }

    private static TimeSpan? ReadDuration(JsonObject body, string name, ProblemList problems, bool allowZero)
    {
        if (body[name] is not { } node)
        {
            return null;
        }

        if (allowZero && node is JsonValue zero && ((zero.GetValueKind() == JsonValueKind.Number && zero.TryGetValue<int>(out var n) && n == 0)
            || (zero.GetValueKind() == JsonValueKind.String && zero.GetValue<string>() == "0")))
        {
            return TimeSpan.Zero;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && SafeDuration(value.GetValue<string>(), out var duration) && duration <= MaximumDuration)
        {
            return duration;
        }

        problems.Add($"/{name}", $"must be {Duration.Expected}{(allowZero ? ", or 0" : "")}, at most 3650d");
        return null;
    }

    /// <summary>A duration, false also for one too large for a TimeSpan (<c>99999999999d</c>).</summary>
    public static bool SafeDuration(string text, out TimeSpan duration)
    {
        try
        {
            return Duration.TryParse(text, out duration);
        }
        catch (OverflowException)
        {
            duration = default;
            return false;
        }
    }

    private static DateTimeOffset? ReadTime(JsonObject body, string name, ProblemList problems)
    {
        if (body[name] is not { } node)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        problems.Add($"/{name}", "must be an ISO 8601 timestamp such as 2030-01-01T09:00:00Z");
        return null;
    }

    private static ScheduleOverlap ReadOverlap(JsonObject body, ProblemList problems)
    {
        if (body["overlap"] is not { } node)
        {
            return ScheduleOverlap.Skip;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && ScheduleDurations.ParseOverlap(value.GetValue<string>()) is { } overlap)
        {
            return overlap;
        }

        problems.Add("/overlap", "must be one of: skip, bufferOne, allow, cancelPrevious");
        return ScheduleOverlap.Skip;
    }
}

/// <summary>Wire forms of a schedule's durations and overlap policy.</summary>
public static class ScheduleDurations
{
    /// <summary>The shortest form Duration reads back: <c>2s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>, <c>1500ms</c>, or <c>0</c>.</summary>
    public static string Format(TimeSpan value)
    {
        var ticks = value.Ticks;
        return ticks == 0 ? "0"
            : ticks % TimeSpan.TicksPerDay == 0 ? $"{ticks / TimeSpan.TicksPerDay}d"
            : ticks % TimeSpan.TicksPerHour == 0 ? $"{ticks / TimeSpan.TicksPerHour}h"
            : ticks % TimeSpan.TicksPerMinute == 0 ? $"{ticks / TimeSpan.TicksPerMinute}m"
            : ticks % TimeSpan.TicksPerSecond == 0 ? $"{ticks / TimeSpan.TicksPerSecond}s"
            : string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds}ms");
    }

    public static string WireName(ScheduleOverlap overlap) => overlap switch
    {
        ScheduleOverlap.BufferOne => "bufferOne",
        ScheduleOverlap.Allow => "allow",
        ScheduleOverlap.CancelPrevious => "cancelPrevious",
        _ => "skip",
    };

    public static ScheduleOverlap? ParseOverlap(string text) => text switch
    {
        "skip" => ScheduleOverlap.Skip,
        "bufferOne" => ScheduleOverlap.BufferOne,
        "allow" => ScheduleOverlap.Allow,
        "cancelPrevious" => ScheduleOverlap.CancelPrevious,
        _ => null,
    };
}
