using System.Text.Json.Nodes;
using static AgentOrleans.Tests.Workflows.Definitions;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Workflows;

/// <summary>The definition's <c>input</c> JSON Schema: refused when invalid, and checked against each input.</summary>
public class InputSchemaTests
{
    private static readonly Lazy<Grains.Workflows.CompiledWorkflow> Scored = new(() => Valid("""
        {"id":"w","start":"a",
         "input":{"type":"object","properties":{"value":{"type":"number"}},"required":["value"]},
         "nodes":{"a":{"type":"transform","with":{"set":{"score":"${{ input.value * 2 }}"}}}}}
        """));

    [Fact]
    public void AnInputSchemaThatIsNotAJsonSchemaIsReported()
    {
        var result = CompileJson("""
            {"id":"w","start":"a","input":{"type":"object","required":"value"},"nodes":{"a":{"type":"delay","with":{"duration":"1s"}}}}
            """);

        AssertReports(result, "/input", "not a valid JSON Schema");
    }

    [Fact]
    public void AnUnknownTypeInTheInputSchemaIsReportedAtIt()
    {
        var result = CompileJson("""
            {"id":"w","start":"a",
             "input":{"type":"object","properties":{"tags":{"type":"array","items":{"type":"text"}}}},
             "nodes":{"a":{"type":"delay","with":{"duration":"1s"}}}}
            """);

        AssertReports(result, "/input/properties/tags/items/type", "must be one of array, boolean");
    }

    [Fact]
    public void AnInputSchemaMayListSeveralTypes()
    {
        Assert.NotNull(Valid("""
            {"id":"w","start":"a","input":{"type":["object","null"],"properties":{"type":{"type":"string"}}},"nodes":{"a":{"type":"delay","with":{"duration":"1s"}}}}
            """).InputSchema);
    }

    [Fact]
    public void AnInputSchemaThatIsNotAnObjectIsReported()
    {
        var result = CompileJson("""
            {"id":"w","start":"a","input":"object","nodes":{"a":{"type":"delay","with":{"duration":"1s"}}}}
            """);

        AssertReports(result, "/input", "must be a JSON Schema object");
    }

    [Fact]
    public void AnInputThatMatchesHasNoProblems()
    {
        Assert.Empty(Scored.Value.ValidateInput(JsonNode.Parse("""{"value": 4}""")));
    }

    [Fact]
    public void AMissingRequiredPropertyIsReportedWithItsPointer()
    {
        var problems = Scored.Value.ValidateInput(JsonNode.Parse("{}"));

        AssertReports(problems, "/value", "PropertyRequired");
    }

    [Fact]
    public void AValueOfTheWrongTypeIsReportedWithItsPointer()
    {
        var problems = Scored.Value.ValidateInput(JsonNode.Parse("""{"value": "four"}"""));

        AssertReports(problems, "/value", "NumberExpected");
    }

    [Fact]
    public void AWholeInputOfTheWrongTypeIsReportedAtTheRoot()
    {
        var problems = Scored.Value.ValidateInput(JsonNode.Parse("[4]"));

        AssertReports(problems, "", "ObjectExpected");
    }

    [Fact]
    public void WithoutAnInputSchemaAnyInputIsAccepted()
    {
        var workflow = Valid("""{"id":"w","start":"a","nodes":{"a":{"type":"delay","with":{"duration":"1s"}}}}""");

        Assert.Null(workflow.InputSchema);
        Assert.Empty(workflow.ValidateInput(JsonNode.Parse("""{"anything": [1, "two"]}""")));
        Assert.Empty(workflow.ValidateInput(null));
    }
}
