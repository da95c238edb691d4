using System.Text.Json.Nodes;
using AgentOrleans.Api.Executions;
using AgentOrleans.Api.Tenants;
using AgentOrleans.Grains.Schedules;

namespace AgentOrleans.Api.Schedules;

/// <summary>A schedule as the API shows it: its definition, state, next fires, last fires and what runs.</summary>
public sealed record ScheduleResource(
    string Id,
    string WorkflowId,
    int? Version,
    JsonNode? Input,
    string? Cron,
    string? TimeZone,
    string? Every,
    DateTimeOffset? StartAt,
    DateTimeOffset? EndAt,
    string Jitter,
    string Overlap,
    string CatchUpWindow,
    bool Paused,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<DateTimeOffset> NextFires,
    IReadOnlyList<FireResource> LastFires,
    IReadOnlyList<RunningExecution> Running,
    DateTimeOffset? BufferedFire,
    long MissedFires,
    ScheduleLinks Links)
{
    /// <summary>The view as its caller sees it: the schedule's and its executions' ids (grain keys) without the tenant.</summary>
    public static ScheduleResource From(ScheduleView view)
    {
        var spec = view.Spec;
        var id = TenantScope.Shown(view.Id);
        return new ScheduleResource(
            id,
            spec.WorkflowId,
            spec.Version,
            spec.InputJson is null ? null : JsonNode.Parse(spec.InputJson),
            spec.Cron,
            spec.Cron is null ? null : spec.TimeZone,
            spec.Every is { } every ? ScheduleDurations.Format(every) : null,
            spec.StartAt,
            spec.EndAt,
            ScheduleDurations.Format(spec.Jitter),
            ScheduleDurations.WireName(spec.Overlap),
            ScheduleDurations.Format(spec.CatchUpWindow),
            spec.Paused,
            view.State,
            view.CreatedAt,
            view.UpdatedAt,
            view.NextFires,
            view.LastFires.Select(FireResource.From).ToList(),
            view.Running.Select(TenantScope.Shown).Select(run => new RunningExecution(run, ExecutionLinks.For(run).Self)).ToList(),
            view.BufferedFire,
            view.MissedFires,
            ScheduleLinks.For(id));
    }
}

/// <summary>One fire: its nominal time, when it was handled, the execution it started and its outcome (the execution's status, or skipped, buffered, overloaded, refused).</summary>
public sealed record FireResource(DateTimeOffset At, DateTimeOffset FiredAt, string? ExecutionId, string Outcome, bool Manual, string? Message, string? Execution)
{
    public static FireResource From(FireRecord fire)
    {
        var id = fire.ExecutionId is { } key ? TenantScope.Shown(key) : null;
        return new(fire.At, fire.FiredAt, id, fire.Outcome, fire.Manual, fire.Message, id is null ? null : ExecutionLinks.For(id).Self);
    }
}

public sealed record RunningExecution(string Id, string Self);

public sealed record ScheduleLinks(string Self, string Pause, string Resume, string Trigger)
{
    public static ScheduleLinks For(string id)
    {
        var self = $"/v1/schedules/{Uri.EscapeDataString(id)}";
        return new ScheduleLinks(self, $"{self}/pause", $"{self}/resume", $"{self}/trigger");
    }
}

/// <summary>A page of schedules, in id order; <c>next</c> is the link to the following page, null on the last.</summary>
public sealed record ScheduleList(IReadOnlyList<ScheduleResource> Items, int Total, string? Next);
