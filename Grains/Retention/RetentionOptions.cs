using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Retention;

/// <summary>How long finished executions are kept, and how the sweeper deletes them. Section <c>AgentOrleans:Retention</c>.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "AgentOrleans:Retention";

    /// <summary>How long a succeeded execution is kept after it ended. Default 7 days.</summary>
    public TimeSpan Succeeded { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a cancelled execution is kept after it ended. Default 7 days.</summary>
    public TimeSpan Cancelled { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a failed execution is kept after it ended. Default 30 days.</summary>
    public TimeSpan Failed { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a deleted execution's id answers 404 with reason <c>deleted</c> (its tombstone). Default 30 days.</summary>
    public TimeSpan Tombstone { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the sweeper looks for expired executions (its reminder's period, at least 1 min). Default 5 min.</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Executions one batch of the sweeper deletes. Default 100.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>The sweeper's pause between batches, so deleting never takes the cluster's capacity. Default 1 s.</summary>
    public TimeSpan BatchPause { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most batches one sweep deletes before it waits for the next period. Default 100.</summary>
    public int MaxBatchesPerSweep { get; set; } = 100;

    /// <summary>Events older than this are trimmed from a log (beside the count bound); null keeps them by count only. Default null.</summary>
    public TimeSpan? MaxEventAge { get; set; }

    /// <summary>How long a finished execution with <paramref name="status"/> is kept.</summary>
    public TimeSpan For(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Failed or ExecutionStatus.TimedOut => Failed,
        ExecutionStatus.Cancelled => Cancelled,
        _ => Succeeded,
    };

    public IEnumerable<string> Problems()
    {
        if (Succeeded <= TimeSpan.Zero || Cancelled <= TimeSpan.Zero || Failed <= TimeSpan.Zero)
        {
            yield return "Succeeded, Cancelled and Failed must be positive";
        }

        if (Tombstone < TimeSpan.Zero)
        {
            yield return "Tombstone must not be negative";
        }

        if (SweepPeriod < TimeSpan.FromMinutes(1) && SweepPeriod != TimeSpan.Zero)
        {
            yield return "SweepPeriod must be at least 1 min (a reminder's period), or 0 to turn the sweeper off";
        }

        if (BatchSize is < 1 or > 10_000 || MaxBatchesPerSweep < 1)
        {
            yield return "BatchSize must be 1 to 10,000 and MaxBatchesPerSweep at least 1";
        }

        if (BatchPause < TimeSpan.Zero || MaxEventAge <= TimeSpan.Zero)
        {
            yield return "BatchPause must not be negative and MaxEventAge, when set, positive";
        }
    }
}
