using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Steps;

/// <summary>
/// What a step returns. <see cref="Output"/> is stored in the run's state under the node id;
/// <see cref="StatePatch"/>, when given, is merged into the top level of the state (as
/// <c>transform</c>'s <c>set</c> is).
/// </summary>
public sealed record StepResult(JsonNode? Output, JsonObject? StatePatch = null)
{
    public static readonly StepResult Empty = new(Output: null);
}
