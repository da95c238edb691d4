using System.Text.Json.Nodes;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Pools;
using AgentOrleans.Grains.Secrets;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Definitions;

/// <summary>
/// Keeps one workflow's immutable versions. A publish is compiled first (the grain is the
/// authority, whatever the caller checked); identical content (by canonical hash) returns the
/// existing version, changed content appends version N+1. Its key is the workflow id scoped by its tenant
/// (<see cref="TenantKey"/>); the definition names the bare id, and its secrets are its tenant's.
/// </summary>
internal sealed class WorkflowDefinitionGrain(
    [PersistentState("definition", StorageNames.Grains)] IPersistentState<WorkflowDefinitionState> state,
    WorkflowCompiler compiler,
    CompiledWorkflowCache cache,
    IOptions<PoolOptions> pools,
    ISecretStore secrets,
    IOptions<TenantQuotaOptions> quotas,
    IWorkflowCatalog catalog,
    TimeProvider time) : Grain, IWorkflowDefinitionGrain
{
    public async Task<PublishResult> PublishAsync(string definitionJson)
    {
        var problems = new ProblemList();
        var quota = quotas.Value.For(TenantKey.TenantOf(this.GetPrimaryKeyString()));
        if (TenantDefinitionLimits.TooLarge(definitionJson, quota) is { } tooLarge)
        {
            return new PublishResult(null, false, [tooLarge]);
        }

        var document = DefinitionDocument.ParseJson(definitionJson, problems);
        if (problems.Count > 0)
        {
            return new PublishResult(null, false, problems);
        }

        if (TenantDefinitionLimits.TooManyNodes(document, quota) is { } tooMany)
        {
            return new PublishResult(null, false, [tooMany]);
        }

        var (tenant, workflowId) = TenantKey.Parse(this.GetPrimaryKeyString());
        // A non-string id is reported by the compiler below; only a mismatching string is refused here.
        if (document is JsonObject obj && obj["id"] is JsonValue value && value.TryGetValue<string>(out var id) && id != workflowId)
        {
            return new PublishResult(null, false, [new DefinitionProblem("/id", $"'{id}' does not match the workflow id '{workflowId}' it is published under")]);
        }

        var versions = state.State.Versions;
        var compiled = compiler.Compile(document, versions.Count + 1);
        if (compiled.Workflow is null)
        {
            return new PublishResult(null, false, compiled.Problems);
        }

        // Checked when published, not when a silo loads a version to run it: a pool's or a secret's configuration may change later.
        var unavailable = UnconfiguredNeeds(compiled.Workflow);
        unavailable.AddRange(await UnknownSecretsAsync(tenant, compiled.Workflow));
        if (unavailable.Count > 0)
        {
            return new PublishResult(null, false, unavailable);
        }

        var hash = DefinitionDocument.Hash(document);
        if (versions.Count > 0 && versions[^1].ContentHash == hash)
        {
            // Written again: a publish retried after its catalog row was lost repairs it.
            await CatalogAsync(versions[^1], document);
            return new PublishResult(versions[^1].Version, false, []);
        }

        var version = new WorkflowVersion(workflowId, versions.Count + 1, document!.ToJsonString(), hash, time.GetUtcNow());
        versions.Add(version);
        await state.WriteStateAsync();
        cache.Add(this.GetPrimaryKeyString(), compiled.Workflow);
        await CatalogAsync(version, document);
        return new PublishResult(version.Version, true, []);
    }

    /// <summary>The workflow's row in the catalog <c>GET /v1/workflows</c> lists (at-least-once: each publish writes it).</summary>
    private Task CatalogAsync(WorkflowVersion version, JsonNode? document)
    {
        var (tenant, id) = TenantKey.Parse(this.GetPrimaryKeyString());
        var description = document is JsonObject obj && obj["description"] is JsonValue d && d.TryGetValue<string>(out var text) ? text : null;
        return catalog.UpsertAsync(new WorkflowSummary(tenant, id, version.Version, description, version.PublishedAt));
    }

    /// <summary>A node's <c>needs</c> of a pool configured nowhere: it would not be limited, which its author cannot have meant.</summary>
    private ProblemList UnconfiguredNeeds(CompiledWorkflow workflow)
    {
        var options = pools.Value;
        var problems = new ProblemList();
        foreach (var node in workflow.Nodes.Values)
        {
            foreach (var pool in node.Needs.Keys.Where(p => !options.PerSilo.ContainsKey(p) && !options.Cluster.ContainsKey(p)))
            {
                problems.Add(
                    $"/nodes/{Expressions.JsonPointer.Escape(node.Id)}/needs/{Expressions.JsonPointer.Escape(pool)}",
                    $"no resource pool '{pool}' is configured (AgentOrleans:Pools:PerSilo or AgentOrleans:Pools:Cluster); configured: {string.Join(", ", options.PerSilo.Keys.Concat(options.Cluster.Keys).Order(StringComparer.Ordinal))}");
            }
        }

        return problems;
    }

    /// <summary>
    /// A secret the store does not hold for <paramref name="tenant"/> (its own or a shared one): the request would fail at
    /// every attempt. Names only, never values: the store is asked whether each exists.
    /// </summary>
    private async Task<ProblemList> UnknownSecretsAsync(string tenant, CompiledWorkflow workflow)
    {
        var problems = new ProblemList();
        foreach (var (pointer, name) in workflow.Nodes.Values.SelectMany(n => n.SecretReferences))
        {
            if (!await secrets.ExistsAsync(tenant, name, CancellationToken.None))
            {
                problems.Add(
                    pointer,
                    tenant == TenantKey.DefaultTenant
                        ? $"no secret '{name}' is defined: set {ConfigurationSecretStore.SectionName}:{name} (the value) or {ConfigurationSecretStore.SectionName}:{name}:File (a file holding it)"
                        : $"no secret '{name}' is defined for tenant '{tenant}': set {ConfigurationSecretStore.SectionName}:{ConfigurationSecretStore.TenantsKey}:{tenant}:{name} (or a shared {ConfigurationSecretStore.SectionName}:{name}), or :File for a file holding it");
            }
        }

        return problems;
    }

    public Task<WorkflowVersion?> GetAsync(int? version)
    {
        var versions = state.State.Versions;
        WorkflowVersion? found = version switch
        {
            null => versions.LastOrDefault(),
            var v when v >= 1 && v <= versions.Count => versions[v.Value - 1],
            _ => null,
        };
        return Task.FromResult(found);
    }

    public Task<int> GetLatestVersionAsync() => Task.FromResult(state.State.Versions.Count);

    public Task<IReadOnlyList<WorkflowVersionInfo>> ListVersionsAsync() =>
        Task.FromResult<IReadOnlyList<WorkflowVersionInfo>>(
            state.State.Versions.Select(v => new WorkflowVersionInfo(v.Version, v.ContentHash, v.PublishedAt)).ToList());
}
