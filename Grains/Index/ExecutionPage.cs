namespace AgentOrleans.Grains.Index;

/// <summary>One page of a listing, newest first; <see cref="Next"/> is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ExecutionPage")]
public sealed record ExecutionPage(
    [property: Id(0)] IReadOnlyList<ExecutionSummary> Items,
    [property: Id(1)] ExecutionCursor? Next);
