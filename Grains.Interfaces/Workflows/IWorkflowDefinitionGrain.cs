namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// One workflow's published definitions, keyed by workflow id. Each publish of changed
/// content makes a new immutable version; publishing identical content is idempotent.
/// </summary>
[Alias("AgentOrleans.IWorkflowDefinitionGrain")]
public interface IWorkflowDefinitionGrain : IGrainWithStringKey
{
    /// <summary>Validates and publishes a definition given as canonical JSON text.</summary>
    [Alias("Publish")]
    Task<PublishResult> PublishAsync(string definitionJson);

    /// <summary>The given version, or the latest when <paramref name="version"/> is null; null when none.</summary>
    [Alias("Get")]
    Task<WorkflowVersion?> GetAsync(int? version);

    /// <summary>The latest version number, 0 when none: what a start without a version asks, without the definition itself.</summary>
    [Alias("GetLatestVersion"), Orleans.Concurrency.ReadOnly]
    Task<int> GetLatestVersionAsync();

    [Alias("ListVersions")]
    Task<IReadOnlyList<WorkflowVersionInfo>> ListVersionsAsync();
}
