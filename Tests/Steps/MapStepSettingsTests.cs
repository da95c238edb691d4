using static AgentOrleans.Tests.Steps.StepSettings;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Steps;

public class MapStepSettingsTests
{
    [Fact]
    public void AMapWithBothAStepAndAWorkflowIsRefused()
    {
        var result = CompileNode("map", """
            {"items":"${{ input.items }}","workflowId":"child","step":{"type":"transform","with":{"set":{"x":1}}}}
            """);

        AssertReports(result, "/nodes/n/with", "give exactly one of 'step' and 'workflowId'");
    }

    [Fact]
    public void AMapWithNeitherAStepNorAWorkflowIsRefused()
    {
        AssertReports(CompileNode("map", """{"items":"${{ input.items }}"}"""), "/nodes/n/with", "give exactly one of 'step' and 'workflowId'");
    }

    [Fact]
    public void AMapPerItemStepOfAnUnknownTypeIsReportedAtItsType()
    {
        var result = CompileNode("map", """{"items":"${{ input.items }}","step":{"type":"teleport"}}""");

        AssertReports(result, "/nodes/n/with/step/type", "unknown step type 'teleport'");
    }

    [Fact]
    public void APerItemStepsOwnSettingsAreChecked()
    {
        var result = CompileNode("map", """{"items":"${{ input.items }}","step":{"type":"delay","with":{}}}""");

        AssertReports(result, "/nodes/n/with/step/with/duration", "is required");
    }

    [Fact]
    public void MapItemsMustBeAnExpression()
    {
        AssertReports(CompileNode("map", """{"items":[1,2],"workflowId":"child"}"""), "/nodes/n/with/items", "an expression");
    }

    [Fact]
    public void ParallelismOutOfRangeIsRefused()
    {
        AssertReports(CompileNode("map", """{"items":"${{ input.items }}","workflowId":"child","parallelism":65}"""), "/nodes/n/with/parallelism", "from 1 to 64");
    }
}
