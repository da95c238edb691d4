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

    private async Task<AdmissionDecision> AdmitAsync(StartExecution command, string workflowId) =>
        admission.Value.Enabled && command.Parent is null
            ? await Admission.TryAdmitAsync(ExecutionId, workflowId)
            : AdmissionDecision.Yes;

    private async Task ReleaseAdmissionAsync()
    {
        if (!admission.Value.Enabled || S.Parent is not null)
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
