using Orleans.Runtime.Placement;

namespace AgentOrleans.Grains.Placement;

/// <summary>
/// Fewest active executions first. Executions spend their time waiting on models, tools and timers,
/// not on CPU, so the number a silo holds is a better measure of its load than CPU and memory,
/// which on a shared machine mostly measure the neighbours. A placement hint (<see cref="IPlacementDirector.PlacementHintKey"/>) wins.
/// </summary>
internal sealed class ExecutionLoadPlacementDirector(ExecutionLoadTable table) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, silos) is { } hinted)
        {
            return Task.FromResult(hinted);
        }

        return Task.FromResult(silos.Length switch
        {
            0 => throw new SiloUnavailableException($"no compatible silo to place {target.GrainIdentity} on"),
            1 => silos[0],
            _ => table.Pick(silos),
        });
    }
}
