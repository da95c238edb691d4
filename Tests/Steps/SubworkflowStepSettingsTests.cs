using static AgentOrleans.Tests.Steps.StepSettings;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Steps;

public class SubworkflowStepSettingsTests
{
    [Fact]
    public void ASubworkflowWithoutAWorkflowIdIsRefused()
    {
        AssertReports(CompileNode("subworkflow", """{"input":{}}"""), "/nodes/n/with/workflowId", "is required");
    }

    [Fact]
    public void AVersionBelowOneIsRefused()
    {
        AssertReports(CompileNode("subworkflow", """{"workflowId":"hello","version":0}"""), "/nodes/n/with/version", "1 or more");
    }
}
