namespace AgentOrleans.Grains.Bulk;

/// <summary>
/// One bulk operation, keyed by its id scoped by the tenant: it pages through the index's executions for its filter and
/// applies its action to each, at a bounded rate, checkpointing its cursor and counts after every page.
/// </summary>
[Alias("AgentOrleans.IBulkOperationGrain")]
public interface IBulkOperationGrain : IGrainWithStringKey
{
    /// <summary>Records the operation and begins it; the same request again is idempotent, a different one a conflict.</summary>
    [Alias("Start")]
    Task<BulkStartResult> StartAsync(BulkRequest request);

    /// <summary>The progress; null when no operation has this id.</summary>
    [Alias("Get")]
    Task<BulkProgress?> GetAsync();

    /// <summary>Resumes a running operation on this silo (a hand-over from a silo shutting down); a no-op otherwise.</summary>
    [Alias("Wake"), Orleans.Concurrency.OneWay]
    Task WakeAsync();
}
