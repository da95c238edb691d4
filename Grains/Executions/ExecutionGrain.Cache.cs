using AgentOrleans.Grains.Caching;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Step caching (a node's <c>cache</c>): before a node's first attempt runs, a fresh entry under its key completes the
/// node without running the step; a success is stored afterwards. A completion from the cache is checkpointed like any
/// other, so a resumed run never looks the node up again: it is past it.
/// </summary>
internal sealed partial class ExecutionGrain
{
    /// <summary>The entry this node's result goes to, and, before a first attempt, what it holds; nothing for a node without <c>cache</c>.</summary>
    private async Task<CacheLookup> LookUpCacheAsync(CompiledNode node)
    {
        if (node.Cache is not { } policy)
        {
            return CacheLookup.None;
        }

        string entryKey;
        try
        {
            // The state does not change while a node's attempts run: a retry's key is its first attempt's.
            entryKey = StepCacheKey.For(Tenant, Execution.WorkflowId, node, policy, _transitions.Scope());
        }
        catch (ExpressionException ex)
        {
            return new CacheLookup(null, null, AttemptOutcomes.FromException(ex, node, stopping: false, nodeTimedOut: false));
        }

        // Only an attempt with nothing behind it is answered from the cache: a retry follows a failure, and an attempt
        // that journaled (tool calls, approvals) or waited goes on from what it recorded.
        var fresh = Execution.CurrentAttempt == 1 && !_continuesAfterWait && Execution.Journal.Count == 0;
        return new CacheLookup(entryKey, fresh ? await services.GetRequiredService<StepCache>().GetAsync(entryKey) : null, null);
    }

    /// <summary>
    /// Stores a successful result under the entry found before the attempt, before the node's completion is checkpointed:
    /// whoever sees the run finished finds the entry. A resume after a crash in between may find it too, which is a hit
    /// like any other.
    /// </summary>
    private Task StoreInCacheAsync(CompiledNode node, CacheLookup lookup, StepResult result) =>
        lookup.EntryKey is { } entryKey && node.Cache is { } policy
            ? services.GetRequiredService<StepCache>().PutAsync(entryKey, result, policy.Ttl)
            : Task.CompletedTask;

    /// <summary>An entry key (null: not cached), its stored result on a hit, or the failure of rendering the key.</summary>
    private sealed record CacheLookup(string? EntryKey, StepResult? Hit, AttemptOutcome? Failure)
    {
        public static readonly CacheLookup None = new(null, null, null);
    }
}
