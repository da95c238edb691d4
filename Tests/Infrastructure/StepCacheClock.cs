using AgentOrleans.Grains.Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// The test cluster's step cache entries read this clock, and nothing else does: a cache test moves it past a ttl
/// without moving any run's timers. Entries of other tests have their own keys, so a jump leaves them be.
/// </summary>
public static class StepCacheClock
{
    public static FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public static IServiceCollection AddFakeStepCacheClock(this IServiceCollection services) =>
        services.AddKeyedSingleton<TimeProvider>(StepCacheHosting.ClockKey, Time);
}
