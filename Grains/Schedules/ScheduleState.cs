namespace AgentOrleans.Grains.Schedules;

/// <summary>What a schedule persists: its definition, how far its fires are handled, its last fires and what runs.</summary>
[GenerateSerializer, Alias("AgentOrleans.ScheduleState")]
public sealed class ScheduleState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public ScheduleSpec? Spec { get; set; }
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the timing was last defined (create, a change of timing, resume): fires before it are never due.</summary>
    [Id(4)] public DateTimeOffset DefinedAt { get; set; }

    /// <summary>Every fire at or before this time has been handled (started, skipped, buffered or missed).</summary>
    [Id(5)] public DateTimeOffset FiredThrough { get; set; }

    /// <summary>The latest fires, oldest first, at most <see cref="ScheduleOptions.KeptFires"/>.</summary>
    [Id(6)] public List<FireRecord> LastFires { get; set; } = [];

    /// <summary>Executions started by fires and not seen ended, oldest first.</summary>
    [Id(7)] public List<string> Running { get; set; } = [];

    /// <summary>With bufferOne: the fire kept until nothing runs.</summary>
    [Id(8)] public DateTimeOffset? BufferedFire { get; set; }

    [Id(9)] public long MissedFires { get; set; }
}
