using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Tenants;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Grains.Retention;

/// <summary>What one sweep did.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.SweepResult")]
public sealed record SweepResult([property: Id(0)] int Deleted, [property: Id(1)] int Batches, [property: Id(2)] int TombstonesPurged);

/// <summary>
/// One sweep of retention: expired executions, a batch at a time, each deleted by its own grain (which owns its
/// state), with a pause between batches so the sweep never takes the cluster's capacity; then expired tombstones.
/// </summary>
public sealed partial class RetentionSweep(IExecutionIndex index, IExecutionTombstones tombstones, IGrainFactory grains, TimeProvider time, RetentionOptions options, ILogger logger)
{
    // Deletes in flight at once within a batch: enough to hide a round trip, few enough to stay a background load.
    private const int Concurrency = 4;

    public async Task<SweepResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        var batches = 0;
        while (batches < options.MaxBatchesPerSweep && !cancellationToken.IsCancellationRequested)
        {
            var expired = await index.ExpiredAsync(time.GetUtcNow(), options.BatchSize, cancellationToken);
            if (expired.Count == 0)
            {
                break;
            }

            batches++;
            foreach (var chunk in expired.Chunk(Concurrency))
            {
                var outcomes = await Task.WhenAll(chunk.Select(DeleteAsync));
                deleted += outcomes.Count(o => o == DeleteOutcome.Deleted);
            }

            if (expired.Count < options.BatchSize)
            {
                break;
            }

            await Task.Delay(options.BatchPause, time, cancellationToken);
        }

        var purged = await tombstones.PurgeAsync(time.GetUtcNow(), options.BatchSize * options.MaxBatchesPerSweep, cancellationToken);
        if (deleted > 0 || purged > 0)
        {
            Log.Swept(logger, deleted, batches, purged);
        }

        return new SweepResult(deleted, batches, purged);
    }

    private async Task<DeleteOutcome> DeleteAsync(ExecutionSummary expired)
    {
        try
        {
            return await grains.GetGrain<IExecutionGrain>(TenantKey.Scope(expired.Tenant, expired.Id)).DeleteAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Left in the index as expired: the next sweep tries again.
            Log.DeleteFailed(logger, expired.Id, ex.GetBaseException().Message);
            return DeleteOutcome.NotFinished;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Retention deleted {Deleted} expired executions in {Batches} batches and purged {Purged} tombstones")]
        public static partial void Swept(ILogger logger, int deleted, int batches, int purged);

        [LoggerMessage(2, LogLevel.Warning, "Retention could not delete execution {ExecutionId} ({Reason}); the next sweep retries")]
        public static partial void DeleteFailed(ILogger logger, string executionId, string reason);
    }
}
