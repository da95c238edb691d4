namespace AgentOrleans.Grains.Index;

[Alias("AgentOrleans.IWorkflowCatalogGrain")]
public interface IWorkflowCatalogGrain : IGrainWithStringKey
{
    public const string Key = "workflows";

    [Alias("Upsert")]
    Task UpsertAsync(WorkflowSummary workflow);

    [Alias("List"), Orleans.Concurrency.ReadOnly]
    Task<WorkflowPage> ListAsync(string tenant, string? afterId, int limit);
}

/// <summary>The in-memory catalog: one activation per cluster, kept while its silo runs (as memory grain storage is).</summary>
internal sealed class WorkflowCatalogGrain : Grain, IWorkflowCatalogGrain
{
    // Keyed tenant, NUL, id: ordinal order is the listing's order within a tenant.
    private readonly SortedDictionary<string, WorkflowSummary> _rows = new(StringComparer.Ordinal);

    private static string KeyOf(string tenant, string id) => string.Concat(tenant, "\0", id);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.DelayDeactivation(TimeSpan.MaxValue);
        return Task.CompletedTask;
    }

    public Task UpsertAsync(WorkflowSummary workflow)
    {
        var key = KeyOf(workflow.Tenant, workflow.Id);
        if (!_rows.TryGetValue(key, out var stored) || stored.LatestVersion <= workflow.LatestVersion)
        {
            _rows[key] = workflow;
        }

        return Task.CompletedTask;
    }

    public Task<WorkflowPage> ListAsync(string tenant, string? afterId, int limit)
    {
        var rows = _rows.Values.Where(w => w.Tenant == tenant && (afterId is null || string.CompareOrdinal(w.Id, afterId) > 0)).Take(limit + 1).ToList();
        var more = rows.Count > limit;
        var items = rows.Take(limit).ToList();
        return Task.FromResult(new WorkflowPage(items, more ? items[^1].Id : null));
    }
}

/// <summary>The in-memory catalog as seen from any silo or the Api.</summary>
public sealed class MemoryWorkflowCatalog(IGrainFactory grains) : IWorkflowCatalog
{
    private IWorkflowCatalogGrain Grain => grains.GetGrain<IWorkflowCatalogGrain>(IWorkflowCatalogGrain.Key);

    public Task UpsertAsync(WorkflowSummary workflow, CancellationToken cancellationToken = default) => Grain.UpsertAsync(workflow);

    public Task<WorkflowPage> ListAsync(string tenant, string? afterId, int limit, CancellationToken cancellationToken = default) =>
        Grain.ListAsync(tenant, afterId, limit);
}
