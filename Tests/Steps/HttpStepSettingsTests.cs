using static AgentOrleans.Tests.Steps.StepSettings;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Steps;

public class HttpStepSettingsTests
{
    [Fact]
    public void AnHttpStepWithoutAUrlIsRefused()
    {
        AssertReports(CompileNode("http", """{"method":"GET"}"""), "/nodes/n/with/url", "is required");
    }

    [Fact]
    public void ARelativeUrlIsRefused()
    {
        AssertReports(CompileNode("http", """{"url":"/healthz"}"""), "/nodes/n/with/url", "must be an absolute");
    }

    [Fact]
    public void ATemplatedUrlIsAccepted()
    {
        Assert.NotNull(CompileNode("http", """{"url":"https://api.example.com/users/${{ input.userId }}"}""").Workflow);
    }

    [Fact]
    public void AnUnknownMethodIsRefused()
    {
        AssertReports(CompileNode("http", """{"url":"https://example.com","method":"FETCH"}"""), "/nodes/n/with/method", "must be one of GET");
    }
}
