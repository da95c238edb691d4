using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentOrleans.Grains.Caching;

public static class StepCacheHosting
{
    /// <summary>
    /// The key of the cache entries' clock. Their own key, defaulting to the host's clock, so a test can move cache time
    /// alone without moving every run's timers on the shared cluster.
    /// </summary>
    public const string ClockKey = "step-cache";

    /// <summary>Reads <c>AgentOrleans:StepCache</c>; a bad limit stops the start. Safe to call twice (Api and co-hosted silo).</summary>
    public static IServiceCollection AddStepCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StepCacheOptions>().Bind(configuration.GetSection(StepCacheOptions.SectionName))
            .Validate(o => o.IsValid, "AgentOrleans:StepCache: MaxEntryBytes must be positive")
            .ValidateOnStart();
        services.TryAddKeyedSingleton<TimeProvider>(ClockKey, (provider, _) => provider.GetRequiredService<TimeProvider>());
        services.TryAddSingleton<StepCache>();
        return services;
    }
}
