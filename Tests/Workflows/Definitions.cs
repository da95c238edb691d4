using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Steps;

namespace AgentOrleans.Tests.Workflows;

/// <summary>Compiles definition text the way publishing does: parse, then compile with the built-in steps.</summary>
internal static class Definitions
{
    private static readonly WorkflowCompiler Compiler = new(TestSteps.Registry);

    public static CompileResult CompileJson(string json, int version = 1)
    {
        var problems = new ProblemList();
        var document = DefinitionDocument.ParseJson(json, problems);
        return problems.Count > 0 ? new CompileResult(null, problems) : Compiler.Compile(document, version);
    }

    public static CompileResult CompileYaml(string yaml)
    {
        var problems = new ProblemList();
        var document = DefinitionDocument.ParseYaml(yaml, problems);
        return problems.Count > 0 ? new CompileResult(null, problems) : Compiler.Compile(document, 1);
    }

    /// <summary>A definition that must compile; the failure lists what was reported instead.</summary>
    public static CompiledWorkflow Valid(string json, int version = 1)
    {
        var result = CompileJson(json, version);
        Assert.True(result.Workflow is not null, $"expected the definition to compile; problems: {Problems.Describe(result.Problems)}");
        return result.Workflow!;
    }
}
