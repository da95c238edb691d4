namespace AgentOrleans.Client;

/// <summary>Where an event falls in the sequence a reader has, as <see cref="EventSequencer"/> judges it.</summary>
public enum EventOrder
{
    /// <summary>Already had (its seq is at most the last one), or after the terminal event: drop it.</summary>
    Duplicate,

    /// <summary>The next one: its seq is the last one plus one.</summary>
    Next,

    /// <summary>Later than the next one: the events in between are missing, and the log has them.</summary>
    Gap,
}
