using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Usage;

/// <summary>
/// One tenant's model usage on one UTC day, cluster-wide: keyed <c>{tenant}/{yyyy-MM-dd}</c>. Every model call of the
/// tenant's executions adds to it once it answered; the tenant's daily budget is checked against it before a call.
/// </summary>
[Alias("AgentOrleans.ITenantUsageGrain")]
public interface ITenantUsageGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<ModelUsage> GetAsync();

    [Alias("Add")]
    Task AddAsync(ModelUsage usage);
}
