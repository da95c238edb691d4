using AgentOrleans.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;

namespace AgentOrleans.Grains.Hosting;

/// <summary>Where new executions go: <c>AgentOrleans:Cluster:Placement</c>, see <see cref="PlacementKind"/>.</summary>
public static class PlacementHosting
{
    public static ISiloBuilder AddPlacement(this ISiloBuilder silo, OrleansHostingOptions hosting)
    {
        // Registered whatever the choice: the table's grain may be asked by silos configured differently.
        silo.Services.Configure<ExecutionLoadOptions>(o => o.RefreshInterval = hosting.PlacementRefreshInterval);
        switch (hosting.Placement)
        {
            case PlacementKind.Random:
                silo.Services.AddSingleton<PlacementStrategy, RandomPlacement>();
                break;
            case PlacementKind.ExecutionLoad:
                silo.Services.AddPlacementDirector<ExecutionLoadPlacement, ExecutionLoadPlacementDirector>();
                silo.Services.AddSingleton<IPlacementStrategyResolver, ExecutionPlacementResolver>();
                silo.Services.AddSingleton<ExecutionLoadTable>();
                silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ExecutionLoadReporter>();
                break;
        }

        return silo;
    }
}
