using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Definitions;

/// <summary>Every published version of one workflow, oldest first; version N is at index N-1.</summary>
[GenerateSerializer, Alias("AgentOrleans.WorkflowDefinitionState")]
public sealed class WorkflowDefinitionState
{
    [Id(0)] public List<WorkflowVersion> Versions { get; set; } = [];
}
