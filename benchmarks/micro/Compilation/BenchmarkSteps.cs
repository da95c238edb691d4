using AgentOrleans.Grains.Steps;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Benchmarks.Compilation;

/// <summary>The built-in step registry, as the silo builds it; compiling never runs a step, so no grain factory is needed.</summary>
internal static class BenchmarkSteps
{
    public static StepRegistry CreateRegistry()
    {
        var services = new ServiceCollection();
        services.AddOptions();
        services.AddHttpClient();
        services.AddBuiltInSteps();
        services.AddSingleton<IGrainFactory>(_ => null!);
        return services.BuildServiceProvider().GetRequiredService<StepRegistry>();
    }
}
