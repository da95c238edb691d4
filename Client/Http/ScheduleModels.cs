using System.Text.Json.Nodes;

namespace AgentOrleans.Client.Http;

/// <summary>A schedule as the API shows it: its definition, state, next fires, last fires and what runs.</summary>
public sealed record Schedule(
    string Id,
    string WorkflowId,
    int? Version,
    JsonNode? Input,
    string? Cron,
    string? TimeZone,
    string? Every,
    string Overlap,
    bool Paused,
    string State,
    IReadOnlyList<DateTimeOffset> NextFires,
    IReadOnlyList<ScheduleFire> LastFires,
    IReadOnlyList<ScheduleRun> Running);

/// <summary>One fire: its nominal time, when it was handled, its execution and its outcome.</summary>
public sealed record ScheduleFire(DateTimeOffset At, DateTimeOffset FiredAt, string? ExecutionId, string Outcome, bool Manual, string? Message);

public sealed record ScheduleRun(string Id);

/// <summary>A page of schedules in id order; <see cref="Next"/> is null on the last page.</summary>
public sealed record SchedulePage(IReadOnlyList<Schedule> Items, int Total, string? Next);
