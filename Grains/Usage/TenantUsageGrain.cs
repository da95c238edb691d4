using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Hosting;

namespace AgentOrleans.Grains.Usage;

/// <summary>
/// One tenant's model usage on one UTC day (<see cref="ITenantUsageGrain"/>), persisted at each addition so the daily
/// budget holds across silos and restarts. Only tenants with a daily budget are counted, one write per model call.
/// </summary>
internal sealed class TenantUsageGrain(
    [PersistentState("tenantUsage", StorageNames.Grains)] IPersistentState<TenantUsageState> state) : Grain, ITenantUsageGrain
{
    public Task<ModelUsage> GetAsync() => Task.FromResult(state.State.Used);

    public async Task AddAsync(ModelUsage usage)
    {
        state.State.Used = state.State.Used.Add(usage);
        await state.WriteStateAsync();
    }

    /// <summary>The grain key of <paramref name="tenant"/>'s usage on the UTC day of <paramref name="now"/>.</summary>
    public static string Key(string tenant, DateTimeOffset now) => $"{tenant}/{now.UtcDateTime:yyyy-MM-dd}";
}

[GenerateSerializer, Alias("AgentOrleans.TenantUsageState")]
public sealed class TenantUsageState
{
    [Id(0)] public ModelUsage Used { get; set; } = ModelUsage.Zero;
}
