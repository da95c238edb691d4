namespace AgentOrleans.Grains.Placement;

/// <summary>How fresh each silo's view of the others' execution counts is (<c>AgentOrleans:Cluster:PlacementRefreshInterval</c>).</summary>
public sealed class ExecutionLoadOptions
{
    /// <summary>How often a silo reports its count and reads everyone's. Default 1 s.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);
}
