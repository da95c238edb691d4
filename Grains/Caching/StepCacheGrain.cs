using AgentOrleans.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Grains.Caching;

/// <summary>
/// One cache entry in the grain storage (PostgreSQL in distributed mode, so entries outlive restarts). Expiry is checked
/// when the entry is read: an expired one is cleared from storage then, and the activation leaves.
/// </summary>
internal sealed class StepCacheGrain(
    [PersistentState("stepcache", StorageNames.Grains)] IPersistentState<StepCacheState> state,
    [FromKeyedServices(StepCacheHosting.ClockKey)] TimeProvider time) : Grain, IStepCacheGrain
{
    public async Task<CachedStep?> GetAsync()
    {
        if (state.State.ExpiresAt is not { } expiresAt)
        {
            return null;
        }

        if (time.GetUtcNow() < expiresAt)
        {
            return new CachedStep(state.State.OutputJson, state.State.StatePatchJson);
        }

        await state.ClearStateAsync();
        this.DeactivateOnIdle();
        return null;
    }

    public Task PutAsync(CachedStep entry, TimeSpan ttl)
    {
        state.State = new StepCacheState { OutputJson = entry.OutputJson, StatePatchJson = entry.StatePatchJson, ExpiresAt = time.GetUtcNow() + ttl };
        return state.WriteStateAsync();
    }
}
