using AgentOrleans.Grains.Admission;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Admission control: a start takes a slot from the cluster-wide <see cref="IAdmissionGrain"/>
/// before anything is recorded, and the finish gives it back. Nothing is asked when no bound is
/// configured, and child executions are exempt: their parent was admitted, and refusing a child
/// would fail work already accepted.
/// </summary>
internal sealed partial class ExecutionGrain
{
    private IAdmissionGrain Admission => GrainFactory.GetGrain<IAdmissionGrain>(IAdmissionGrain.GlobalKey);

    private async Task<AdmissionDecision> AdmitAsync(StartExecution command, string workflowId)
    {
        if (!admission.Value.Enabled || command.Parent is not null)
        {
            return AdmissionDecision.Yes;
        }

        var decision = await Admission.TryAdmitAsync(ExecutionId, workflowId);
        _admissionCounted = decision.Admitted;
        return decision;
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
        if (_admissionCounted || !admission.Value.Enabled || Execution.Parent is not null || Execution.Status.IsTerminal())
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
        if (!admission.Value.Enabled || Execution.Parent is not null)
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
