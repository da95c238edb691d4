namespace AgentOrleans.Grains.Workflows;

/// <summary>An immutable published version of a workflow definition.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.WorkflowVersion")]
public sealed record WorkflowVersion(
    [property: Id(0)] string WorkflowId,
    [property: Id(1)] int Version,
    [property: Id(2)] string DefinitionJson,
    [property: Id(3)] string ContentHash,
    [property: Id(4)] DateTimeOffset PublishedAt);
