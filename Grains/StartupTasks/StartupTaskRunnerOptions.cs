namespace AgentOrleans.Grains.StartupTasks;

/// <summary>How a silo follows its startup tasks. Section <c>AgentOrleans:StartupTaskRunner</c>.</summary>
public sealed class StartupTaskRunnerOptions
{
    public const string SectionName = "AgentOrleans:StartupTaskRunner";

    /// <summary>
    /// How often a silo asks again about a task that has not finished: one that could not start yet (its workflow not
    /// published, admission full, the cluster not answering) or whose execution still runs. Default 1 s.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public bool IsValid => PollInterval > TimeSpan.Zero;
}
