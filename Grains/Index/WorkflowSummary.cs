namespace AgentOrleans.Grains.Index;

/// <summary>A published workflow as <c>GET /v1/workflows</c> lists it: its bare id, latest version, description and when that version was published.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.WorkflowSummary")]
public sealed record WorkflowSummary(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string Id,
    [property: Id(2)] int LatestVersion,
    [property: Id(3)] string? Description,
    [property: Id(4)] DateTimeOffset UpdatedAt);

/// <summary>A page of workflows by id; <see cref="Next"/> (the last id shown) is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.WorkflowPage")]
public sealed record WorkflowPage(
    [property: Id(0)] IReadOnlyList<WorkflowSummary> Items,
    [property: Id(1)] string? Next);
