namespace AgentOrleans.Grains.Workflows;

/// <summary>One problem in a definition or an input: a JSON pointer to where it is and a plain message.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.DefinitionProblem")]
public sealed record DefinitionProblem(
    [property: Id(0)] string Pointer,
    [property: Id(1)] string Message);
