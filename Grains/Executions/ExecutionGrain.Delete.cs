using AgentOrleans.Grains.Retention;
using AgentOrleans.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Deleting a finished execution (retention's sweeper, or <c>DELETE /v1/executions/{id}</c>): the tombstone first, so
/// the id never answers a plain 404 before its state is gone; then the state with its log; then the index row, so a
/// delete that stopped midway is still listed as expired and the sweeper finishes it.
/// </summary>
internal sealed partial class ExecutionGrain
{
    public async Task<DeleteOutcome> DeleteAsync()
    {
        var (tenant, id) = TenantKey.Parse(ExecutionId);
        if (!Execution.Exists)
        {
            await ExecutionIndex.DeleteAsync(tenant, id);
            return DeleteOutcome.NotFound;
        }

        if (!Execution.Status.IsTerminal() || !_durableStatus.IsTerminal())
        {
            return DeleteOutcome.NotFinished;
        }

        var now = time.GetUtcNow();
        var retention = services.GetRequiredService<IOptions<RetentionOptions>>().Value;
        await services.GetRequiredService<IExecutionTombstones>().AddAsync(tenant, id, now, now + retention.Tombstone);
        await _commitLock.WaitAsync();
        try
        {
            await state.ClearStateAsync();
            state.State = new ExecutionState();
        }
        finally
        {
            _commitLock.Release();
        }

        // A recovery reminder left behind (its run's final row could not be written) finds no execution and removes itself.
        await ExecutionIndex.DeleteAsync(tenant, id);
        LeaveMemory();
        return DeleteOutcome.Deleted;
    }
}
