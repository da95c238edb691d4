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

    [Alias("ListVersions")]
    Task<IReadOnlyList<WorkflowVersionInfo>> ListVersionsAsync();
}
