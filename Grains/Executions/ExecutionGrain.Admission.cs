using AgentOrleans.Grains.Admission;
using AgentOrleans.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Admission control: a start takes a place among the silo's executions in memory
/// (<see cref="InMemoryExecutions"/>), then a slot from the cluster-wide <see cref="IAdmissionGrain"/>,
/// before anything is recorded, and the finish gives it back. The grain is asked only when a bound
/// applies (the cluster's, or the tenant's), and child executions are exempt: their parent was
/// admitted, and refusing a child would fail work already accepted.
/// </summary>
internal sealed partial class ExecutionGrain
{
    // Whether this activation counts in InMemoryExecutions: it holds a run not yet ended.
    private bool _inMemoryCounted;

    private IAdmissionGrain Admission => GrainFactory.GetGrain<IAdmissionGrain>(IAdmissionGrain.GlobalKey);

    private InMemoryExecutions InMemory => services.GetRequiredService<InMemoryExecutions>();

    private bool AdmissionBounds => admission.Value.Enabled
        || services.GetRequiredService<IOptions<TenantQuotaOptions>>().Value.For(TenantKey.TenantOf(ExecutionId)).MaxActiveExecutions > 0;

    private async Task<AdmissionDecision> AdmitAsync(StartExecution command, string workflowId)
    {
        if (command.Parent is not null)
        {
            CountInMemory();
            return AdmissionDecision.Yes;
        }

        if (!_inMemoryCounted && !InMemory.TryEnter())
        {
            var o = admission.Value;
            return new AdmissionDecision(false, $"this silo holds {InMemory.Count} executions in memory, its bound ({AdmissionOptions.SectionName}:MemoryFraction {o.MemoryFraction} of the memory available, {InMemory.BoundBytes / (1024 * 1024)} MiB, at ExecutionMemoryBytes {o.ExecutionMemoryBytes} each)", o.RetryAfter);
        }

        _inMemoryCounted = true;
        try
        {
            var decision = AdmissionBounds ? await Admission.TryAdmitAsync(ExecutionId, workflowId) : AdmissionDecision.Yes;
            _admissionCounted = decision.Admitted && AdmissionBounds;
            if (!decision.Admitted)
            {
                UncountInMemory();
            }

            return decision;
        }
        catch
        {
            UncountInMemory();
            throw;
        }
    }

    /// <summary>A run resumed or accepted here: counted, never refused.</summary>
    private void CountInMemory()
    {
        if (!_inMemoryCounted)
        {
            _inMemoryCounted = true;
            InMemory.Enter();
        }
    }

    private void UncountInMemory()
    {
        if (_inMemoryCounted)
        {
            _inMemoryCounted = false;
            InMemory.Leave();
        }
    }

    /// <summary>
    /// A run resumed by a silo that has bounds joins the count: it may have started while none were
    /// configured (bounds switched on by a rolling restart), and uncounted it would let the cluster
    /// admit that many more than the bound until it ends. For a run admitted at its start this is a
    /// no-op (the set holds its id); one call per resume, none per start.
    /// </summary>
    private async Task JoinAdmissionAsync()
    {
        if (await TryJoinAdmissionAsync())
        {
            return;
        }

        // Not worth failing or delaying the run for. A resume right after a silo loss is when the admission grain
        // is most likely unreachable (it may have lived on the lost silo), so the join is retried until it lands
        // or the run ends, rather than leaving the run uncounted for its whole life.
        _admissionJoinRetry ??= this.RegisterGrainTimer(
            async () =>
            {
                if (await TryJoinAdmissionAsync())
                {
                    _admissionJoinRetry?.Dispose();
                    _admissionJoinRetry = null;
                }
            },
            new GrainTimerCreationOptions(admission.Value.JoinRetryInterval, admission.Value.JoinRetryInterval) { Interleave = true });
    }

    /// <returns>Whether nothing is left to do: joined, or not to be counted.</returns>
    private async Task<bool> TryJoinAdmissionAsync()
    {
        if (_admissionCounted || !AdmissionBounds || Execution.Parent is not null || Execution.Status.IsTerminal())
        {
            return true;
        }

        try
        {
            await Admission.JoinAsync(ExecutionId, Execution.WorkflowId);
            _admissionCounted = true;
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.JoinFailed(logger, ExecutionId, ex);
            return false;
        }
    }

    private async Task ReleaseAdmissionAsync()
    {
        if (!AdmissionBounds || Execution.Parent is not null)
        {
            return;
        }

        try
        {
            await Admission.ReleaseAsync(ExecutionId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ReleaseFailed(logger, ExecutionId, ex);
        }
    }
}
