namespace AgentOrleans.Grains.Retention;

/// <summary>Retention's sweeper: one per cluster (key <see cref="Key"/>), woken by its reminder every sweep period.</summary>
[Alias("AgentOrleans.IRetentionSweeperGrain")]
public interface IRetentionSweeperGrain : IGrainWithStringKey
{
    public const string Key = "cluster";

    /// <summary>Registers (or re-times) the reminder: every silo calls it when it starts; idempotent.</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>Sweeps now (as a reminder tick does) and says what it did.</summary>
    [Alias("Sweep")]
    Task<SweepResult> SweepAsync();
}
