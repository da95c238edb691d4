using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Tests.Workflows;

/// <summary>Assertions on reported problems, whose failures show every problem that was reported.</summary>
internal static class Problems
{
    public static void AssertReports(CompileResult result, string pointer, string messagePart)
    {
        Assert.Null(result.Workflow);
        AssertReports(result.Problems, pointer, messagePart);
    }

    public static void AssertReports(IReadOnlyList<DefinitionProblem> problems, string pointer, string messagePart) =>
        Assert.True(
            problems.Any(p => p.Pointer == pointer && p.Message.Contains(messagePart, StringComparison.Ordinal)),
            $"expected a problem at '{pointer}' saying '{messagePart}'; reported: {Describe(problems)}");

    public static string Describe(IReadOnlyList<DefinitionProblem> problems) =>
        problems.Count == 0 ? "none" : string.Join("; ", problems.Select(p => $"'{p.Pointer}': {p.Message}"));
}
