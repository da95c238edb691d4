using static AgentOrleans.Tests.Steps.StepSettings;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Steps;

public class DelayStepSettingsTests
{
    [Fact]
    public void ADelayWithoutADurationIsRefused()
    {
        AssertReports(CompileNode("delay", "{}"), "/nodes/n/with/duration", "is required");
    }

    [Fact]
    public void ADelayWithoutAnyWithIsRefused()
    {
        var result = Workflows.Definitions.CompileJson("""{"id":"w","start":"n","nodes":{"n":{"type":"delay"}}}""");

        AssertReports(result, "/nodes/n/with/duration", "is required");
    }

    [Fact]
    public void AnUnknownDelaySettingIsRefused()
    {
        AssertReports(CompileNode("delay", """{"duration":"1s","until":"noon"}"""), "/nodes/n/with/until", "unknown setting 'until'");
    }
}
