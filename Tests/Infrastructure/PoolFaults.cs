using System.Collections.Concurrent;
using AgentOrleans.Grains.Pools;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// A silo call filter that makes the next calls to a pool grain's <c>AcquireAsync</c> fail, as they
/// do while the pool's silo is dying or its storage restarts. The caller sees a real failed grain call.
/// </summary>
public sealed class PoolFaults : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, int> Pending = new();

    /// <summary>Faults injected so far, by pool.</summary>
    public static ConcurrentDictionary<string, int> Injected { get; } = new();

    public static void FailNextAcquires(string pool, int count) => Pending[pool] = count;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(IPoolGrain)
            && context.InterfaceMethod.Name == nameof(IPoolGrain.AcquireAsync)
            && context.TargetId.Key.ToString() is { } pool
            && Take(pool))
        {
            Injected.AddOrUpdate(pool, 1, (_, n) => n + 1);
            throw new InvalidOperationException($"injected fault in pool '{pool}'");
        }

        return context.Invoke();
    }

    private static bool Take(string pool)
    {
        while (Pending.TryGetValue(pool, out var left) && left > 0)
        {
            if (Pending.TryUpdate(pool, left - 1, left))
            {
                return true;
            }
        }

        return false;
    }
}
