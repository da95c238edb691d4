namespace AgentOrleans.Grains.Index;

/// <summary>
/// The listable catalog of published workflows, one row per workflow with its latest version: beside the execution
/// index, in memory or in PostgreSQL. Written by every publish (also one that changes nothing), so a publish retried
/// after a lost write repairs its row; an older version never replaces a newer one.
/// </summary>
public interface IWorkflowCatalog
{
    Task UpsertAsync(WorkflowSummary workflow, CancellationToken cancellationToken = default);

    /// <summary>The tenant's workflows by id (ordinal), strictly after <paramref name="afterId"/>.</summary>
    Task<WorkflowPage> ListAsync(string tenant, string? afterId, int limit, CancellationToken cancellationToken = default);
}
