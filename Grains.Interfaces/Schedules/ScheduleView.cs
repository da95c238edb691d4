namespace AgentOrleans.Grains.Schedules;

/// <summary>A schedule as a caller sees it: its definition, its next fires, its last fires and what runs.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ScheduleView")]
public sealed record ScheduleView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required ScheduleSpec Spec { get; init; }

    /// <summary><c>active</c>, <c>paused</c> or <c>ended</c> (no fire is left before endAt).</summary>
    [Id(2)] public required string State { get; init; }
    [Id(3)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The next fire times (nominal, before jitter), at most 5; none while paused.</summary>
    [Id(5)] public IReadOnlyList<DateTimeOffset> NextFires { get; init; } = [];

    /// <summary>The latest fires, newest first.</summary>
    [Id(6)] public IReadOnlyList<FireRecord> LastFires { get; init; } = [];

    /// <summary>Executions started by this schedule that have not ended, as last seen.</summary>
    [Id(7)] public IReadOnlyList<string> Running { get; init; } = [];

    /// <summary>With <c>bufferOne</c>: the fire kept until the running execution ends.</summary>
    [Id(8)] public DateTimeOffset? BufferedFire { get; init; }

    /// <summary>Fires missed while no silo ran the schedule and older than the catch-up window: never made up.</summary>
    [Id(9)] public long MissedFires { get; init; }
}

/// <summary>One fire: its nominal time, when it was handled, the execution it started and how that went.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.FireRecord")]
public sealed record FireRecord(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] DateTimeOffset FiredAt,
    [property: Id(2)] string? ExecutionId,
    [property: Id(3)] string Outcome)
{
    /// <summary>Started by <c>trigger</c>, not by the calendar.</summary>
    [Id(4)] public bool Manual { get; init; }

    /// <summary>Why a fire started nothing (refused, overloaded), when it says more than the outcome.</summary>
    [Id(5)] public string? Message { get; init; }
}

/// <summary>The wire names of a fire's outcome besides an execution's status.</summary>
public static class FireOutcomes
{
    /// <summary>Not started: an earlier fire's execution was running (overlap skip, or bufferOne with one kept).</summary>
    public const string Skipped = "skipped";

    /// <summary>Kept (bufferOne) until the running execution ends.</summary>
    public const string Buffered = "buffered";

    /// <summary>Admission control refused the start.</summary>
    public const string Overloaded = "overloaded";

    /// <summary>The start was refused: the workflow or version is gone, or the input no longer matches its schema.</summary>
    public const string Refused = "refused";
}

/// <summary>The answer to a put: the problems that refused it, or the schedule and whether it is new.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.SchedulePutResult")]
public sealed record SchedulePutResult(
    [property: Id(0)] bool Created,
    [property: Id(1)] ScheduleView? Schedule,
    [property: Id(2)] IReadOnlyList<Workflows.DefinitionProblem> Problems);
