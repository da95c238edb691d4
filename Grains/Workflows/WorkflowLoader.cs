using System.Text.Json.Nodes;
using AgentOrleans.Grains.Tenants;

namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// Finds the compiled form of a workflow version: from this silo's cache, or by fetching the
/// definition from its grain and compiling it once.
/// </summary>
public sealed class WorkflowLoader(IGrainFactory grains, CompiledWorkflowCache cache, WorkflowCompiler compiler)
{
    /// <summary>
    /// <paramref name="tenant"/>'s workflow <paramref name="workflowId"/>: the given version, or the latest when
    /// <paramref name="version"/> is null; null when there is none. An execution or schedule passes its own tenant
    /// (<see cref="TenantKey.TenantOf"/> of its key), so what it runs is always its tenant's.
    /// </summary>
    public async Task<CompiledWorkflow?> LoadAsync(string tenant, string workflowId, int? version)
    {
        if (!TenantKey.TryScope(tenant, workflowId, out var workflowKey))
        {
            return null;
        }

        var definitions = grains.GetGrain<IWorkflowDefinitionGrain>(workflowKey);

        // "Latest" is asked of the grain on every start (a version published a moment ago must be the one
        // used), but only its number: the definition itself crosses the wire once per silo and version.
        var wanted = version ?? await definitions.GetLatestVersionAsync();
        if (wanted < 1)
        {
            return null;
        }

        if (cache.TryGet(workflowKey, wanted, out var cached))
        {
            return cached;
        }

        var stored = await definitions.GetAsync(wanted);
        if (stored is null)
        {
            return null;
        }

        // Stored versions were compiled when published, so this cannot fail short of a registry change.
        var compiled = compiler.Compile(JsonNode.Parse(stored.DefinitionJson), stored.Version, publishing: false).Workflow
            ?? throw new InvalidOperationException($"workflow '{workflowId}' version {stored.Version} no longer compiles (was a step type unregistered?)");
        cache.Add(workflowKey, compiled);
        return compiled;
    }
}
