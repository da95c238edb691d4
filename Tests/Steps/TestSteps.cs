using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Steps.BuiltIn.Llm;
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
        // One named provider, so a definition naming it compiles and one naming another is refused.
        services.Configure<LlmOptions>(o => o.Providers[LlmOptions.DefaultProvider] = new LlmProviderOptions { BaseUrl = "http://127.0.0.1:1/v1" });
        // subworkflow and map hold a grain factory for running, which these tests never do.
        services.AddSingleton<IGrainFactory>(_ => null!);
        return services.BuildServiceProvider().GetRequiredService<StepRegistry>();
    }
}
