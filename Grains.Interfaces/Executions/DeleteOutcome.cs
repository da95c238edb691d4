namespace AgentOrleans.Grains.Executions;

/// <summary>What a delete of an execution did.</summary>
[GenerateSerializer, Alias("AgentOrleans.DeleteOutcome")]
public enum DeleteOutcome
{
    /// <summary>There was no execution (never, or already deleted).</summary>
    NotFound,

    /// <summary>It has not ended: nothing was deleted.</summary>
    NotFinished,

    /// <summary>Its state, event log and index row are gone; its tombstone is kept.</summary>
    Deleted,
}
