using System.Collections.Concurrent;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// A silo call filter that makes the next fetches of a workflow's definition fail as they do while its
/// grain is still addressed to a silo that just died: the caller sees a real <see cref="SiloUnavailableException"/>.
/// </summary>
public sealed class DefinitionFaults : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, int> Pending = new();

    /// <summary>Faults injected so far, by workflow.</summary>
    public static ConcurrentDictionary<string, int> Injected { get; } = new();

    public static void FailNextFetches(string workflowId, int count) => Pending[workflowId] = count;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(IWorkflowDefinitionGrain)
            && context.InterfaceMethod.Name == nameof(IWorkflowDefinitionGrain.GetAsync)
            && context.TargetId.Key.ToString() is { } workflowId
            && Take(workflowId))
        {
            Injected.AddOrUpdate(workflowId, 1, (_, n) => n + 1);
            throw new SiloUnavailableException($"injected: the definition of '{workflowId}' is on a silo that just died");
        }

        return context.Invoke();
    }

    private static bool Take(string workflowId)
    {
        while (Pending.TryGetValue(workflowId, out var left) && left > 0)
        {
            if (Pending.TryUpdate(workflowId, left - 1, left))
            {
                return true;
            }
        }

        return false;
    }
}
