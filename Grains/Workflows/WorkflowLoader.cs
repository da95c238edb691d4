using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// Finds the compiled form of a workflow version: from this silo's cache, or by fetching the
/// definition from its grain and compiling it once.
/// </summary>
public sealed class WorkflowLoader(IGrainFactory grains, CompiledWorkflowCache cache, WorkflowCompiler compiler)
{
    /// <summary>The given version, or the latest when <paramref name="version"/> is null; null when there is none.</summary>
    public async Task<CompiledWorkflow?> LoadAsync(string workflowId, int? version)
    {
        if (version is { } pinned && cache.TryGet(workflowId, pinned, out var cached))
        {
            return cached;
        }

        var stored = await grains.GetGrain<IWorkflowDefinitionGrain>(workflowId).GetAsync(version);
        if (stored is null)
        {
            return null;
        }

        if (version is null && cache.TryGet(workflowId, stored.Version, out cached))
        {
            return cached;
        }

        // Stored versions were compiled when published, so this cannot fail short of a registry change.
        var compiled = compiler.Compile(JsonNode.Parse(stored.DefinitionJson), stored.Version).Workflow
            ?? throw new InvalidOperationException($"workflow '{workflowId}' version {stored.Version} no longer compiles (was a step type unregistered?)");
        cache.Add(compiled);
        return compiled;
    }
}
