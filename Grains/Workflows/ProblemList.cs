namespace AgentOrleans.Grains.Workflows;

/// <summary>Collects every problem found, each with its JSON pointer, instead of stopping at the first.</summary>
public sealed class ProblemList : List<DefinitionProblem>
{
    public void Add(string pointer, string message) => Add(new DefinitionProblem(pointer.Length == 0 ? "" : pointer, message));
}
