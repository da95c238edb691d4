namespace AgentOrleans.Grains.Workflows;

/// <summary>The per-silo compiled-workflow cache. Section <c>AgentOrleans:CompiledWorkflowCache</c>.</summary>
public sealed class CompiledWorkflowCacheOptions
{
    public const string SectionName = "AgentOrleans:CompiledWorkflowCache";

    /// <summary>How many (workflow, version) pairs stay compiled at once. Default 1,000.</summary>
    public int MaxEntries { get; set; } = 1000;
}
