using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Workflows;

/// <summary>A definition as read from its document, before step types and expressions are resolved.</summary>
public sealed record WorkflowDefinition(
    string Id,
    string? Description,
    string Start,
    TimeSpan? Timeout,
    JsonObject? InputSchema,
    IReadOnlyDictionary<string, NodeDefinition> Nodes,
    IReadOnlyList<EdgeDefinition> Edges)
{
    /// <summary>How long finished executions are kept (<c>retention</c>); null keeps the configured defaults.</summary>
    public Retention.WorkflowRetention? Retention { get; init; }

    /// <summary>The budget of each execution's model calls (<c>budget</c>); null is unlimited.</summary>
    public Executions.ExecutionBudget? Budget { get; init; }
}

/// <summary>A node: a step type with its settings (<c>with</c>), time limit, retry policy and iteration bound.</summary>
public sealed record NodeDefinition(
    string Id,
    string Type,
    JsonObject? With,
    TimeSpan? Timeout,
    RetryPolicy Retry,
    int? MaxVisits,
    IReadOnlyDictionary<string, int> Needs)
{
    /// <summary>When the node's outputs are stored and reused (<c>cache</c>); null: never.</summary>
    public NodeCachePolicy? Cache { get; init; }
}

/// <summary>An edge; <see cref="Index"/> is its place in <c>edges</c>, for pointers.</summary>
public sealed record EdgeDefinition(int Index, string From, string To, string? When)
{
    public const string End = "end";
}
