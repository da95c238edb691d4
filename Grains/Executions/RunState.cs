using System.Text.Json.Nodes;
using AgentOrleans.Grains.Steps;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// How a node's result enters the run's state: the output is stored under the node id
/// (a null output stores nothing), then the step's state patch, if any, is merged into the
/// top level (<c>transform</c>'s <c>set</c>). The final state is the execution's result.
/// </summary>
public static class RunState
{
    public static void Apply(JsonObject state, string nodeId, StepResult result)
    {
        if (result.Output is not null)
        {
            state[nodeId] = result.Output.DeepClone();
        }

        foreach (var (key, value) in result.StatePatch ?? [])
        {
            state[key] = value?.DeepClone();
        }
    }
}
