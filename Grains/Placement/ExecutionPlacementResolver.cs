using AgentOrleans.Grains.Executions;
using Orleans.Metadata;
using Orleans.Runtime.Placement;

namespace AgentOrleans.Grains.Placement;

/// <summary>
/// Gives <see cref="ExecutionGrain"/> (only) the execution-load placement; every other grain keeps
/// the silo's default placement. Configured here rather than by an attribute on the grain so that
/// <c>AgentOrleans:Cluster:Placement</c> can choose.
/// </summary>
internal sealed class ExecutionPlacementResolver(GrainTypeResolver grainTypes) : IPlacementStrategyResolver
{
    private readonly GrainType _execution = grainTypes.GetGrainType(typeof(ExecutionGrain));

    public bool TryResolvePlacementStrategy(GrainType grainType, GrainProperties? properties, out PlacementStrategy result)
    {
        result = ExecutionLoadPlacement.Instance;
        return grainType.Equals(_execution);
    }
}
