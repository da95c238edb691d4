namespace AgentOrleans.Grains.Schedules;

/// <summary>Timings of schedules. Section <c>AgentOrleans:Schedules</c>.</summary>
public sealed class ScheduleOptions
{
    public const string SectionName = "AgentOrleans:Schedules";

    /// <summary>
    /// Period of the durable reminder that brings an active schedule back on a surviving silo after its silo was lost.
    /// Fires are timed by a grain timer, not by it; it bounds how late the fires after a silo loss are (they are made
    /// up within the schedule's catch-up window). Default 1 min.
    /// </summary>
    public TimeSpan RecoveryReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A fire handled later than this after its time still counts as on time, whatever the catch-up window (a timer is
    /// never exact, a busy silo less so). Default 2 s.
    /// </summary>
    public TimeSpan LateFireTolerance { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a schedule holding a buffered fire (bufferOne) looks whether the running execution ended. Default 1 s.</summary>
    public TimeSpan BufferPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Fires a schedule remembers and shows (newest). Default 20.</summary>
    public int KeptFires { get; set; } = 20;

    /// <summary>Running executions a schedule keeps track of (overlap allow); older ones are no longer followed. Default 50.</summary>
    public int MaxTrackedRuns { get; set; } = 50;

    public bool IsValid => RecoveryReminderPeriod >= TimeSpan.FromSeconds(1) && LateFireTolerance >= TimeSpan.Zero
        && BufferPollInterval > TimeSpan.Zero && KeptFires >= 1 && MaxTrackedRuns >= 1;
}
