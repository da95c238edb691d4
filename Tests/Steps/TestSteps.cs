using AgentOrleans.Grains.Steps;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Tests.Steps;

/// <summary>The step registry as the silo builds it, with stand-ins for what compiling never calls.</summary>
internal static class TestSteps
{
    // The registry is immutable once built, so every test can share one.
    public static StepRegistry Registry { get; } = Build();

    private static StepRegistry Build()
    {
        var services = new ServiceCollection();
        services.AddOptions();
        services.AddHttpClient();
        services.AddBuiltInSteps();
        // subworkflow and map hold a grain factory for running, which these tests never do.
        services.AddSingleton<IGrainFactory>(_ => null!);
        return services.BuildServiceProvider().GetRequiredService<StepRegistry>();
    }
}
