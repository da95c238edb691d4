namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// The outcome of a publish: the version (new or existing) or, when the definition is
/// invalid, every problem found.
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.PublishResult")]
public sealed record PublishResult(
    [property: Id(0)] int? Version,
    [property: Id(1)] bool Created,
    [property: Id(2)] IReadOnlyList<DefinitionProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}
