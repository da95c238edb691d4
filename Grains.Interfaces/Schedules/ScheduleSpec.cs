namespace AgentOrleans.Grains.Schedules;

/// <summary>
/// What a schedule is, as <c>PUT /v1/schedules/{id}</c> defines it: the workflow each fire starts, and when it fires,
/// either a <see cref="Cron"/> expression in <see cref="TimeZone"/> or a fixed period <see cref="Every"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ScheduleSpec")]
public sealed record ScheduleSpec
{
    [Id(0)] public required string WorkflowId { get; init; }

    /// <summary>The version each fire starts; null starts the latest published at the fire.</summary>
    [Id(1)] public int? Version { get; init; }

    [Id(2)] public string? InputJson { get; init; }

    /// <summary>5 fields (minute first) or 6 (seconds first), as Cronos reads them.</summary>
    [Id(3)] public string? Cron { get; init; }

    /// <summary>IANA time zone the cron expression is read in. Default UTC.</summary>
    [Id(4)] public string TimeZone { get; init; } = "UTC";

    /// <summary>A fixed period: fires at <see cref="StartAt"/> (or one period after the schedule was defined), then every period.</summary>
    [Id(5)] public TimeSpan? Every { get; init; }

    [Id(6)] public DateTimeOffset? StartAt { get; init; }

    [Id(7)] public DateTimeOffset? EndAt { get; init; }

    /// <summary>Each fire is delayed by a random part of this (the same for a given fire time, on any silo).</summary>
    [Id(8)] public TimeSpan Jitter { get; init; }

    [Id(9)] public ScheduleOverlap Overlap { get; init; } = ScheduleOverlap.Skip;

    /// <summary>How far back fires missed while no silo ran the schedule are made up. Default 1 min; zero makes none up.</summary>
    [Id(10)] public TimeSpan CatchUpWindow { get; init; } = TimeSpan.FromMinutes(1);

    [Id(11)] public bool Paused { get; init; }

    /// <summary>Whether <paramref name="other"/> fires at the same times (what it starts and whether it is paused aside).</summary>
    public bool SameTiming(ScheduleSpec other) =>
        Cron == other.Cron && TimeZone == other.TimeZone && Every == other.Every && StartAt == other.StartAt && EndAt == other.EndAt;
}

/// <summary>What a fire does while the execution of an earlier fire still runs.</summary>
[GenerateSerializer, Alias("AgentOrleans.ScheduleOverlap")]
public enum ScheduleOverlap
{
    /// <summary>The fire is skipped (default).</summary>
    Skip,

    /// <summary>One fire is kept and started when the running execution ends; more are skipped.</summary>
    BufferOne,

    /// <summary>Every fire starts an execution, however many run.</summary>
    Allow,

    /// <summary>The running execution is cancelled and the fire starts a new one.</summary>
    CancelPrevious,
}
