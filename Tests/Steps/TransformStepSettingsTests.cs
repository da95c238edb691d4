using static AgentOrleans.Tests.Steps.StepSettings;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Steps;

public class TransformStepSettingsTests
{
    [Fact]
    public void ATransformWithoutSetIsRefused()
    {
        AssertReports(CompileNode("transform", "{}"), "/nodes/n/with/set", "is required");
    }

    [Fact]
    public void ATransformWhoseSetIsNotAnObjectIsRefused()
    {
        AssertReports(CompileNode("transform", """{"set":[1,2]}"""), "/nodes/n/with/set", "an object of state names");
    }
}
