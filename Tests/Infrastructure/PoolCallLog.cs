using System.Collections.Concurrent;
using AgentOrleans.Grains.Pools;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// A silo call filter that records when each pool grain was asked to grant or renew permits, so a
/// test can wait for a renewal to happen instead of sleeping through a lease.
/// </summary>
public sealed class PoolCallLog : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<(string Method, DateTime At)>> Calls = new();

    /// <summary>The times <paramref name="pool"/>'s grain received <paramref name="method"/> (a name of <see cref="IPoolGrain"/>).</summary>
    public static IEnumerable<DateTime> Received(string pool, string method) =>
        Calls.TryGetValue(pool, out var calls) ? calls.Where(c => c.Method == method).Select(c => c.At) : [];

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(IPoolGrain))
        {
            Calls.GetOrAdd(context.TargetId.Key.ToString()!, _ => new()).Enqueue((context.InterfaceMethod.Name, DateTime.UtcNow));
        }

        return context.Invoke();
    }
}
