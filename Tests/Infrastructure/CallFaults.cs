using System.Collections.Concurrent;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// A silo call filter that makes the next calls of one grain method on one grain fail, as they do while
/// that grain's silo is dying or its storage restarts. The caller sees a real failed grain call.
/// </summary>
public sealed class CallFaults : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<(Type Grain, string Method, string Key), Fault> Pending = new();

    /// <summary>Faults injected so far, by grain interface, method and grain key.</summary>
    public static ConcurrentDictionary<(Type Grain, string Method, string Key), int> Injected { get; } = new();

    /// <summary>The next <paramref name="count"/> calls of <paramref name="method"/> on the grain keyed <paramref name="key"/> throw what <paramref name="fault"/> makes.</summary>
    public static void FailNext<TGrain>(string method, string key, int count, Func<Exception> fault) =>
        Pending[(typeof(TGrain), method, key)] = new Fault(count, fault);

    public static int InjectedInto<TGrain>(string method, string key) => Injected.GetValueOrDefault((typeof(TGrain), method, key));

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod is { DeclaringType: { } grain, Name: var method }
            && Take((grain, method, context.TargetId.Key.ToString()!)) is { } fault)
        {
            throw fault();
        }

        return context.Invoke();
    }

    private static Func<Exception>? Take((Type, string, string) target)
    {
        while (Pending.TryGetValue(target, out var pending) && pending.Left > 0)
        {
            if (Pending.TryUpdate(target, pending with { Left = pending.Left - 1 }, pending))
            {
                Injected.AddOrUpdate(target, 1, (_, n) => n + 1);
                return pending.Make;
            }
        }

        return null;
    }

    private sealed record Fault(int Left, Func<Exception> Make);
}
