namespace AgentOrleans.Grains.Workflows;

[GenerateSerializer, Immutable, Alias("AgentOrleans.WorkflowVersionInfo")]
public sealed record WorkflowVersionInfo(
    [property: Id(0)] int Version,
    [property: Id(1)] string ContentHash,
    [property: Id(2)] DateTimeOffset PublishedAt);
