using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Workflows;
using static AgentOrleans.Tests.Expressions.Expressions;

namespace AgentOrleans.Tests.Expressions;

public class JsonTemplateTests
{
    private static JsonTemplate Compile(string json)
    {
        var problems = new ProblemList();
        var template = JsonTemplate.Compile(JsonNode.Parse(json), "/with", problems.Add);
        Assert.True(problems.Count == 0, $"expected no problems; reported: {Problems.Describe(problems)}");
        return template;
    }

    private static ProblemList CompileProblems(string json)
    {
        var problems = new ProblemList();
        JsonTemplate.Compile(JsonNode.Parse(json), "/with", problems.Add);
        return problems;
    }

    [Fact]
    public void AWholeStringExpressionYieldsANumber()
    {
        var value = Compile("\"${{ input.value * 2 }}\"").Render(Scope("""{"value": 21}"""));

        Assert.Equal(System.Text.Json.JsonValueKind.Number, value!.GetValueKind());
        Assert.Equal(42, value.GetValue<int>());
    }

    [Fact]
    public void AWholeStringExpressionYieldsAnObject()
    {
        var value = Compile("\"${{ input.user }}\"").Render(Scope("""{"user": {"name": "ada", "tags": [1]}}"""));

        Assert.Equal("""{"name":"ada","tags":[1]}""", value!.ToJsonString());
    }

    [Fact]
    public void ExpressionsAmidTextAreStringifiedAndInterpolated()
    {
        var value = Compile("\"value ${{ input.value }} of ${{ input.tags }}: ${{ input.name }}${{ input.missing }}!\"")
            .Render(Scope("""{"value": 5, "tags": ["a"], "name": "ada"}"""));

        Assert.Equal("value 5 of [\"a\"]: ada!", value!.GetValue<string>());
    }

    [Fact]
    public void LiteralsPassThroughUnchanged()
    {
        var template = Compile("""{"n": 1, "flag": true, "text": "plain $ {{ not }}", "list": [null, "x"]}""");

        Assert.False(template.HasExpressions);
        Assert.Equal("""{"n":1,"flag":true,"text":"plain $ {{ not }}","list":[null,"x"]}""", template.Render(Scope())!.ToJsonString());
    }

    [Fact]
    public void NestedStringsInObjectsAndArraysAreRendered()
    {
        var template = Compile("""{"a": {"b": ["${{ state.x }}", "x=${{ state.x }}"]}}""");

        Assert.True(template.HasExpressions);
        Assert.Equal("""{"a":{"b":[3,"x=3"]}}""", template.Render(Scope(stateJson: """{"x": 3}"""))!.ToJsonString());
    }

    [Theory]
    [InlineData("\"hello ${{ input.name\"")]
    [InlineData("\"${{ input.a }} and ${{ input.b\"")]
    public void AnUnclosedPlaceholderIsReported(string json)
    {
        Problems.AssertReports(CompileProblems(json), "/with", "'${{' is not closed by '}}'");
    }

    [Fact]
    public void AnInvalidExpressionIsReportedWithThePointerOfItsString()
    {
        Problems.AssertReports(CompileProblems("""{"set": {"x": ["ok", "${{ 1 + }}"]}}"""), "/with/set/x/1", "invalid expression '1 +'");
    }
}
