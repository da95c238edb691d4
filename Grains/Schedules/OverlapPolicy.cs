namespace AgentOrleans.Grains.Schedules;

/// <summary>What a fire does, given its schedule's overlap policy and what still runs.</summary>
public enum FireAction
{
    Start,
    Skip,
    Buffer,
    CancelPreviousAndStart,
}

/// <summary>The overlap decisions, as plain code.</summary>
public static class OverlapPolicy
{
    /// <summary>The action of a fire when <paramref name="running"/> executions of earlier fires have not ended.</summary>
    public static FireAction Decide(ScheduleOverlap overlap, int running, bool buffered) =>
        running == 0 ? FireAction.Start : overlap switch
        {
            ScheduleOverlap.Allow => FireAction.Start,
            ScheduleOverlap.CancelPrevious => FireAction.CancelPreviousAndStart,
            ScheduleOverlap.BufferOne when !buffered => FireAction.Buffer,
            _ => FireAction.Skip,
        };

    /// <summary>Whether a kept fire starts now: nothing runs any more.</summary>
    public static bool StartsBuffered(bool buffered, int running) => buffered && running == 0;
}
