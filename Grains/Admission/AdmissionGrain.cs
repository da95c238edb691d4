using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Admission;

/// <summary>
/// One cluster-wide count of executions not yet ended. Trade-off: exact bounds and one extra
/// grain call (plus a state write) per start and per finish, through a single activation — some
/// thousands of starts a second, far above what executions lasting seconds need. A per-silo
/// approximation would cost nothing but overshoot by up to the silo count and misjudge skewed
/// placement. The state is a set of ids, so a retried admit or release cannot double-count;
/// a release lost with a silo is repaired by reconciliation against the executions themselves.
/// </summary>
internal sealed partial class AdmissionGrain(
    [PersistentState("admission", StorageNames.Grains)] IPersistentState<AdmissionState> state,
    IOptions<AdmissionOptions> options,
    IOptions<TenantQuotaOptions> quotas,
    TimeProvider time,
    ILogger<AdmissionGrain> logger) : Grain, IAdmissionGrain
{
    private readonly AdmissionOptions _options = options.Value;
    private readonly Dictionary<string, int> _perWorkflow = [];

    // The tenant of an execution is its key's (one set holds every tenant's ids, so a tenant's bound is as exact as the cluster's).
    private readonly Dictionary<string, int> _perTenant = [];

    private Dictionary<string, AdmittedExecution> Active => state.State.Active;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, admitted) in Active)
        {
            Count(id, admitted.WorkflowId, 1);
        }

        this.RegisterGrainTimer(ReconcileAsync, new GrainTimerCreationOptions(_options.ReconcileInterval, _options.ReconcileInterval));
        return Task.CompletedTask;
    }

    public async Task<AdmissionDecision> TryAdmitAsync(string executionId, string workflowId)
    {
        if (Active.ContainsKey(executionId))
        {
            return AdmissionDecision.Yes;
        }

        if (_options.MaxActiveExecutions > 0 && Active.Count >= _options.MaxActiveExecutions)
        {
            return Refuse($"{Active.Count} executions are queued or running, the cluster's bound (AgentOrleans:Admission:MaxActiveExecutions {_options.MaxActiveExecutions})");
        }

        var ofWorkflow = _perWorkflow.GetValueOrDefault(workflowId);
        if (_options.MaxActivePerWorkflow > 0 && ofWorkflow >= _options.MaxActivePerWorkflow)
        {
            return Refuse($"{ofWorkflow} executions of workflow '{workflowId}' are queued or running, its bound (AgentOrleans:Admission:MaxActivePerWorkflow {_options.MaxActivePerWorkflow})");
        }

        var tenant = TenantKey.TenantOf(executionId);
        var ofTenant = _perTenant.GetValueOrDefault(tenant);
        if (quotas.Value.For(tenant) is { MaxActiveExecutions: > 0 } quota && ofTenant >= quota.MaxActiveExecutions)
        {
            return Refuse($"{ofTenant} executions of tenant '{tenant}' are queued or running, its bound ({quota.Section}:MaxActiveExecutions {quota.MaxActiveExecutions})");
        }

        Active[executionId] = new AdmittedExecution(workflowId, time.GetUtcNow());
        Count(executionId, workflowId, 1);
        await state.WriteStateAsync();
        return AdmissionDecision.Yes;
    }

    public async Task JoinAsync(string executionId, string workflowId)
    {
        if (Active.TryAdd(executionId, new AdmittedExecution(workflowId, time.GetUtcNow())))
        {
            Count(executionId, workflowId, 1);
            await state.WriteStateAsync();
        }
    }

    public async Task ReleaseAsync(string executionId)
    {
        if (Remove(executionId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<AdmissionCounts> GetCountsAsync() =>
        Task.FromResult(new AdmissionCounts(Active.Count, new Dictionary<string, int>(_perWorkflow.Where(w => w.Value > 0)))
        {
            PerTenant = new Dictionary<string, int>(_perTenant.Where(t => t.Value > 0)),
        });

    private AdmissionDecision Refuse(string reason) => new(false, reason, _options.RetryAfter);

    private bool Remove(string executionId)
    {
        if (!Active.Remove(executionId, out var admitted))
        {
            return false;
        }

        Count(executionId, admitted.WorkflowId, -1);
        return true;
    }

    private void Count(string executionId, string workflowId, int by)
    {
        _perWorkflow[workflowId] = _perWorkflow.GetValueOrDefault(workflowId) + by;
        var tenant = TenantKey.TenantOf(executionId);
        _perTenant[tenant] = _perTenant.GetValueOrDefault(tenant) + by;
    }

    /// <summary>Frees ids whose execution ended or never came to exist (its start failed after admission).</summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var settled = time.GetUtcNow() - _options.ReconcileInterval;
        var candidates = Active.Where(a => a.Value.AdmittedAt < settled).Select(a => a.Key).ToList();
        var checks = candidates.Select(async id =>
        {
            try
            {
                // Bounded: an execution stuck in a call to this grain must not stall the timer for the call timeout.
                var snapshot = await GrainFactory.GetGrain<IExecutionGrain>(id).GetAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return snapshot is null || snapshot.IsTerminal ? id : null;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return null;
            }
        });
        var freed = 0;
        foreach (var id in (await Task.WhenAll(checks)).OfType<string>())
        {
            freed += Remove(id) ? 1 : 0;
        }

        if (freed > 0)
        {
            LogReconciled(logger, freed);
            await state.WriteStateAsync(cancellationToken);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Admission freed {Count} slot(s) of executions that ended without releasing them")]
    private static partial void LogReconciled(ILogger logger, int count);
}
