using System.Text.Json.Nodes;
using AgentOrleans.Grains.Workflows;
using static AgentOrleans.Tests.Steps.StepSettings;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Steps.Llm;

public class LlmStepSettingsTests
{
    [Fact]
    public void AnLlmNodeWithoutAPromptIsRefused()
    {
        AssertReports(CompileNode("llm", """{"model":"gpt"}"""), "/nodes/n/with/prompt", "is required");
    }

    [Fact]
    public void ATemperatureOutsideZeroToTwoIsRefused()
    {
        AssertReports(CompileNode("llm", """{"prompt":"hi","temperature":3}"""), "/nodes/n/with/temperature", "must be a number from 0 to 2");
    }

    [Fact]
    public void AnApiKeyInTheDefinitionIsRefusedAsAnUnknownSetting()
    {
        AssertReports(CompileNode("llm", """{"prompt":"hi","apiKey":"sk-x"}"""), "/nodes/n/with/apiKey", "unknown setting 'apiKey'");
    }

    [Fact]
    public void ACompleteLlmNodeCompiles()
    {
        var result = CompileNode("llm", """{"prompt":"Say hi to ${{ input.name }}","system":"be brief","model":"m","provider":"default","temperature":0.2,"maxTokens":100}""");

        Assert.True(result.Workflow is not null, Describe(result.Problems));
    }

    [Theory]
    [InlineData("llm")]
    [InlineData("agent")]
    public void AProviderThatIsNeitherConfiguredNorRegisteredIsRefusedAtPublishNamingTheKeyToSet(string type)
    {
        AssertReports(
            CompileNode(type, """{"prompt":"hi","provider":"nowhere"}"""),
            "/nodes/n/with/provider",
            "no model provider 'nowhere' is configured (AgentOrleans:Llm:Providers:nowhere:BaseUrl, or an IChatClient registered under that key); configured: default");
    }

    [Fact]
    public void AStoredVersionCompiledAgainToRunKeepsCompilingWhenItsProviderOrMcpServerIsNoLongerConfigured()
    {
        var json = """{"id":"w","start":"n","nodes":{"n":{"type":"agent","with":{"prompt":"hi","provider":"gone","tools":[{"mcp":{"server":"gone"}}]}}}}""";

        var published = new WorkflowCompiler(TestSteps.Registry).Compile(JsonNode.Parse(json), 1);
        var rerun = new WorkflowCompiler(TestSteps.Registry).Compile(JsonNode.Parse(json), 1, publishing: false);

        Assert.Equal(["/nodes/n/with/provider", "/nodes/n/with/tools/0/mcp/server"], published.Problems.Select(p => p.Pointer).Order(StringComparer.Ordinal));
        Assert.True(rerun.Workflow is not null, Describe(rerun.Problems));
    }

    [Fact]
    public void AProviderNamedByATemplateIsLeftToRunTime()
    {
        var result = CompileNode("llm", """{"prompt":"hi","provider":"${{ input.provider }}"}""");

        Assert.True(result.Workflow is not null, Describe(result.Problems));
    }

    [Fact]
    public void AgentToolNamesMustBeUnique()
    {
        var result = CompileNode("agent", """
            {"prompt":"hi","tools":[{"name":"a","workflowId":"w"},{"name":"a","workflowId":"v"}]}
            """);

        AssertReports(result, "/nodes/n/with/tools/1/name", "another tool is already named 'a'");
    }

    [Fact]
    public void AnAgentToolNeedsExactlyOneOfAStepAndAWorkflow()
    {
        AssertReports(CompileNode("agent", """{"prompt":"hi","tools":[{"name":"a"}]}"""), "/nodes/n/with/tools/0", "give exactly one of 'step' and 'workflowId'");
    }

    [Fact]
    public void AMapCannotBeAnAgentTool()
    {
        var result = CompileNode("agent", """
            {"prompt":"hi","tools":[{"name":"a","step":{"type":"map","with":{"items":"${{ args.list }}","workflowId":"w"}}}]}
            """);

        AssertReports(result, "/nodes/n/with/tools/0/step/type", "cannot be a tool");
    }

    [Fact]
    public void AnAgentToolStepsOwnSettingsAreChecked()
    {
        var result = CompileNode("agent", """{"prompt":"hi","tools":[{"name":"a","step":{"type":"delay","with":{}}}]}""");

        AssertReports(result, "/nodes/n/with/tools/0/step/with/duration", "is required");
    }

    [Fact]
    public void MaxTurnsMustBeBetweenOneAndAHundred()
    {
        AssertReports(CompileNode("agent", """{"prompt":"hi","maxTurns":0}"""), "/nodes/n/with/maxTurns", "must be a whole number from 1 to 100");
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("""{"timeout":"24h"}""")]
    public void AnAgentToolsApprovalIsABooleanOrATimeout(string approval)
    {
        var result = CompileNode("agent", """{"prompt":"hi","tools":[{"name":"a","workflowId":"w","approval":APPROVAL}]}""".Replace("APPROVAL", approval, StringComparison.Ordinal));

        Assert.True(result.Workflow is not null, Describe(result.Problems));
    }

    [Theory]
    [InlineData("\"yes\"", "/nodes/n/with/tools/0/approval", "must be true, false or {\"timeout\": <duration>}")]
    [InlineData("1", "/nodes/n/with/tools/0/approval", "must be true, false or")]
    [InlineData("""{"timeout":"soon"}""", "/nodes/n/with/tools/0/approval/timeout", "must be")]
    [InlineData("{}", "/nodes/n/with/tools/0/approval/timeout", "is required")]
    [InlineData("""{"timeout":"1h","by":"ops"}""", "/nodes/n/with/tools/0/approval/by", "unknown setting 'by'")]
    public void AMalformedApprovalIsRefusedAtItsPointer(string approval, string pointer, string message)
    {
        var result = CompileNode("agent", """{"prompt":"hi","tools":[{"name":"a","workflowId":"w","approval":APPROVAL}]}""".Replace("APPROVAL", approval, StringComparison.Ordinal));

        AssertReports(result, pointer, message);
    }
}
