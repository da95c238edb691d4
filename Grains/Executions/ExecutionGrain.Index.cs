using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Retention;
using AgentOrleans.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The execution's row in the index, written after each checkpoint that changed its status: at-least-once, ordered by
/// the revision (the last seq at the write), so a repeated or late upsert never undoes a newer one
/// (docs/decisions.md#execution-index-at-least-once). A failed upsert is retried by the next status change, and a
/// finished run keeps its recovery reminder until its final row is written.
/// </summary>
internal sealed partial class ExecutionGrain
{
    private IExecutionIndex? _index;

    // The status the index was last told of by this activation; null: not known to be indexed.
    private ExecutionStatus? _indexedStatus;

    private IExecutionIndex ExecutionIndex => _index ??= services.GetRequiredService<IExecutionIndex>();

    /// <summary>The row for the state as it is now (called where that state is the durable one).</summary>
    private ExecutionSummary? SummaryToIndex() => Execution.Exists && Execution.Status != _indexedStatus ? Summary() : null;

    private ExecutionSummary Summary()
    {
        var (tenant, id) = TenantKey.Parse(ExecutionId);
        return new ExecutionSummary(tenant, id, TenantKey.Parse(Execution.WorkflowId).Id, Execution.Version, Execution.Status, Execution.CreatedAt, Execution.LastSeq)
        {
            StartedAt = Execution.StartedAt,
            CompletedAt = Execution.CompletedAt,
            Parent = Execution.Parent is { } parent ? TenantKey.Parse(parent.ExecutionId).Id : null,
            Schedule = Execution.ScheduleKey is { } schedule ? TenantKey.Parse(schedule).Id : null,
            ErrorType = Execution.Error?.Type,
            Labels = Execution.Labels,
            ExpiresAt = Execution.Status.IsTerminal() ? Execution.CompletedAt + RetentionOf(Execution.Status) : null,
        };
    }

    private TimeSpan RetentionOf(ExecutionStatus status) =>
        _workflow?.Retention?.For(status) ?? services.GetRequiredService<IOptions<RetentionOptions>>().Value.For(status);

    /// <summary>Writes the row; false (logged) when the index could not be reached.</summary>
    private async Task<bool> IndexAsync(ExecutionSummary? summary)
    {
        if (summary is null)
        {
            return true;
        }

        try
        {
            await ExecutionIndex.UpsertAsync(summary);
            _indexedStatus = summary.Status;
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            IndexLog.UpsertFailed(logger, ExecutionId, summary.Status.ToWireName(), ex.GetBaseException().Message);
            return false;
        }
    }

    /// <summary>Whether the index holds the durable status (writing it if not): a finished run lets go of its reminder only then.</summary>
    private async Task<bool> EnsureIndexedAsync()
    {
        if (!Execution.Exists || _durableStatus != Execution.Status || Execution.Status == _indexedStatus)
        {
            return true;
        }

        // A fresh activation (a reminder tick) has not loaded the definition whose retention the row carries.
        try
        {
            _workflow ??= await workflows.LoadAsync(Tenant, Execution.WorkflowId, Execution.Version);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            IndexLog.UpsertFailed(logger, ExecutionId, Execution.Status.ToWireName(), ex.GetBaseException().Message);
            return false;
        }

        return await IndexAsync(SummaryToIndex());
    }

    private static partial class IndexLog
    {
        [LoggerMessage(60, LogLevel.Warning, "Execution {ExecutionId} could not update its index row to {Status} ({Reason}); the next status change or reminder tick retries")]
        public static partial void UpsertFailed(ILogger logger, string executionId, string status, string reason);
    }
}
