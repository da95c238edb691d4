using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Api.Executions;

/// <summary>A start's <c>startAt</c> (a timestamp) or <c>startAfter</c> (a duration), and when the run begins from them.</summary>
public static class DelayedStart
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(3650);

    public static (DateTimeOffset? StartAt, TimeSpan? StartAfter) Read(JsonObject body, ProblemList problems)
    {
        DateTimeOffset? startAt = null;
        TimeSpan? startAfter = null;
        if (body["startAt"] is { } at)
        {
            if (at is JsonValue text && text.GetValueKind() == JsonValueKind.String
                && DateTimeOffset.TryParse(text.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                startAt = parsed.ToUniversalTime();
            }
            else
            {
                problems.Add("/startAt", "must be an ISO 8601 timestamp such as 2030-01-01T09:00:00Z");
            }
        }

        if (body["startAfter"] is { } after)
        {
            if (after is JsonValue text && text.GetValueKind() == JsonValueKind.String
                && Schedules.ScheduleRequest.SafeDuration(text.GetValue<string>(), out var delay) && delay <= MaxDelay)
            {
                startAfter = delay;
            }
            else
            {
                problems.Add("/startAfter", $"must be {Duration.Expected}, at most 3650d");
            }
        }

        if (body.ContainsKey("startAt") && body.ContainsKey("startAfter"))
        {
            problems.Add("", "has both startAt and startAfter; give one of them");
        }

        return (startAt, startAfter);
    }

    /// <summary>When the run begins, null for now; and the note that says a start time in the past was taken as now.</summary>
    public static (DateTimeOffset? BeginAt, string? Note) BeginAt(StartExecutionRequest request, DateTimeOffset now)
    {
        var at = request.StartAt ?? (request.StartAfter is { } after ? now + after : null);
        return at is { } time && time <= now
            ? (null, request.StartAt is null ? null : $"startAt {time:O} is not in the future: the run starts now")
            : (at, null);
    }
}
