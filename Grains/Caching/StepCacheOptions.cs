namespace AgentOrleans.Grains.Caching;

/// <summary>Limits of the step cache (a node's <c>cache</c>). Section <c>AgentOrleans:StepCache</c>.</summary>
public sealed class StepCacheOptions
{
    public const string SectionName = "AgentOrleans:StepCache";

    /// <summary>
    /// Largest result (output plus state patch, UTF-8 JSON) that is stored; a larger one is not cached, and a log line
    /// says so. Default 256 KiB.
    /// </summary>
    public int MaxEntryBytes { get; set; } = 256 * 1024;

    public bool IsValid => MaxEntryBytes > 0;
}
