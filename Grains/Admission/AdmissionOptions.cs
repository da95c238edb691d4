namespace AgentOrleans.Grains.Admission;

/// <summary>Bounds on executions that have not ended (queued or running). Section <c>AgentOrleans:Admission</c>.</summary>
public sealed class AdmissionOptions
{
    public const string SectionName = "AgentOrleans:Admission";

    /// <summary>Most executions not yet ended in the whole cluster; 0 (default) is unbounded.</summary>
    public int MaxActiveExecutions { get; set; }

    /// <summary>Most executions not yet ended per workflow; 0 (default) is unbounded.</summary>
    public int MaxActivePerWorkflow { get; set; }

    /// <summary>The <c>Retry-After</c> a refused start is given. Default 5 s.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often admitted ids are checked against their executions, freeing slots a lost release
    /// left behind (an id is checked once it is at least this old). Default 1 min.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often a resumed run retries joining the count when the admission grain could not be reached
    /// (as right after the silo it lived on was lost). Default 2 s.
    /// </summary>
    public TimeSpan JoinRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The share of the memory available to the process (<see cref="GC.GetGCMemoryInfo()"/>'s
    /// <c>TotalAvailableMemoryBytes</c>: the machine's, or the container's or GC heap limit) that executions a silo
    /// holds in memory may fill, at <see cref="ExecutionMemoryBytes"/> each; a start beyond it is refused.
    /// Default 0.5; 0 turns the bound off.
    /// </summary>
    public double MemoryFraction { get; set; } = 0.5;

    /// <summary>What one execution in memory is reckoned to take, in bytes. Default 64 KiB; 0 turns the bound off.</summary>
    public long ExecutionMemoryBytes { get; set; } = 64 * 1024;

    public bool Enabled => MaxActiveExecutions > 0 || MaxActivePerWorkflow > 0;

    public bool IsValid => MaxActiveExecutions >= 0 && MaxActivePerWorkflow >= 0 && RetryAfter >= TimeSpan.Zero && ReconcileInterval > TimeSpan.Zero && JoinRetryInterval > TimeSpan.Zero
        && MemoryFraction is >= 0 and <= 1 && ExecutionMemoryBytes >= 0;
}
