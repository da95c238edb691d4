using static AgentOrleans.Tests.Workflows.Definitions;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Workflows;

/// <summary>Expressions are parsed once at compile time, so a broken one refuses the definition.</summary>
public class ExpressionProblemTests
{
    private static string WithEdge(string when) => """
        {"id":"w","start":"a",
         "nodes":{"a":{"type":"delay","with":{"duration":"1s"}},"b":{"type":"delay","with":{"duration":"1s"}}},
         "edges":[{"from":"a","to":"b","when":WHEN}]}
        """.Replace("WHEN", System.Text.Json.JsonSerializer.Serialize(when), StringComparison.Ordinal);

    [Fact]
    public void AConditionThatDoesNotParseIsReportedAtTheEdgesWhen()
    {
        var result = CompileJson(WithEdge("state.score >= "));

        AssertReports(result, "/edges/0/when", "invalid condition");
    }

    [Fact]
    public void StatementsInsteadOfAnExpressionAreRefused()
    {
        var result = CompileJson(WithEdge("var x = 1; x > 0"));

        AssertReports(result, "/edges/0/when", "must be a single expression, not statements");
    }

    [Fact]
    public void AnInvalidTemplateExpressionIsReportedAtItsSetting()
    {
        var result = CompileJson("""
            {"id":"w","start":"a","nodes":{"a":{"type":"transform","with":{"set":{"ok":"${{ input.x }}","total":"sum: ${{ input.x + }}"}}}}}
            """);

        AssertReports(result, "/nodes/a/with/set/total", "invalid expression 'input.x +'");
        Assert.Single(result.Problems);
    }

    [Fact]
    public void AnInvalidExpressionInAMapsPerItemStepIsReportedAtItsSetting()
    {
        var result = CompileJson("""
            {"id":"w","start":"m","nodes":{"m":{"type":"map","with":{
              "items":"${{ input.items }}",
              "step":{"type":"transform","with":{"set":{"double":"${{ item * }}"}}}}}}}
            """);

        AssertReports(result, "/nodes/m/with/step/with/set/double", "invalid expression");
    }
}
