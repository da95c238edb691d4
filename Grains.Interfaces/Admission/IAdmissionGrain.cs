namespace AgentOrleans.Grains.Admission;

/// <summary>
/// Admission control for the whole cluster, one activation keyed <see cref="GlobalKey"/>: holds
/// the ids of admitted executions that have not ended, and refuses a start beyond
/// <c>AgentOrleans:Admission</c>'s bounds. Idempotent by execution id.
/// </summary>
[Alias("AgentOrleans.IAdmissionGrain")]
public interface IAdmissionGrain : IGrainWithStringKey
{
    public const string GlobalKey = "global";

    /// <summary>Admits <paramref name="executionId"/> unless a bound is reached; admitting an admitted id again admits it.</summary>
    [Alias("TryAdmit")]
    Task<AdmissionDecision> TryAdmitAsync(string executionId, string workflowId);

    /// <summary>Frees the execution's slot; unknown ids are ignored.</summary>
    [Alias("Release")]
    Task ReleaseAsync(string executionId);

    /// <summary>
    /// Counts an execution that is already running and was never admitted (it started while no bound
    /// was configured, or on a silo without one). Never refuses: the work was accepted. Idempotent.
    /// </summary>
    [Alias("Join")]
    Task JoinAsync(string executionId, string workflowId);

    /// <summary>Admitted executions that have not ended: in total and per workflow.</summary>
    [Alias("GetCounts")]
    Task<AdmissionCounts> GetCountsAsync();
}
