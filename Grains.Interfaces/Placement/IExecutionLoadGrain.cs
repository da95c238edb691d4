namespace AgentOrleans.Grains.Placement;

/// <summary>
/// The cluster's table of how many executions each silo has active (queued or running), one
/// activation keyed <see cref="GlobalKey"/>, held in memory only: every silo reports its own count
/// about once a second and gets everyone's back, which its placement director reads.
/// </summary>
[Alias("AgentOrleans.IExecutionLoadGrain")]
public interface IExecutionLoadGrain : IGrainWithStringKey
{
    public const string GlobalKey = "global";

    /// <summary>Records <paramref name="silo"/>'s count and returns every silo's recent count.</summary>
    [Alias("Report")]
    Task<Dictionary<SiloAddress, int>> ReportAsync(SiloAddress silo, int activeExecutions);

    /// <summary>Every silo's recent count, as the next report would return it.</summary>
    [Alias("Get"), Orleans.Concurrency.ReadOnly]
    Task<Dictionary<SiloAddress, int>> GetAsync();
}
