using AgentOrleans.Grains.Pools;
using AgentOrleans.Grains.Secrets;
using AgentOrleans.Grains.Steps.BuiltIn;
using AgentOrleans.Grains.Steps.BuiltIn.Llm;
using AgentOrleans.Grains.Telemetry;
using AgentOrleans.Grains.Usage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentOrleans.Grains.Steps;

public static class StepServiceCollectionExtensions
{
    /// <summary>Registers a step type under <paramref name="name"/>, the <c>type</c> nodes use.</summary>
    public static IServiceCollection AddStep<TStep>(this IServiceCollection services, string name)
        where TStep : class, IStep
    {
        services.AddSingleton<TStep>();
        services.AddSingleton(new StepRegistration(name, typeof(TStep)));
        return services;
    }

    /// <summary>The registry and the built-in step types, registered the way user types are.</summary>
    public static IServiceCollection AddBuiltInSteps(this IServiceCollection services)
    {
        services.AddSingleton<StepRegistry>();
        // The http step's secrets: the host's configuration unless a store is registered (AddAgentOrleansGrainServices registers one first).
        services.TryAddSingleton<ISecretStore>(sp => new ConfigurationSecretStore(sp.GetService<IConfiguration>() ?? new ConfigurationBuilder().Build()));
        services.AddStep<DelayStep>("delay");
        services.AddStep<TransformStep>("transform");
        services.AddStep<HttpStep>("http");
        services.AddStep<SubworkflowStep>("subworkflow");
        services.AddStep<MapStep>("map");
        services.AddStep<WaitStep>(WaitStep.TypeName);
        services.TryAddSingleton(TimeProvider.System);

        // The model client takes permits of the pool its provider is bound to.
        services.AddMetrics();
        services.TryAddSingleton<AgentOrleansMetrics>();
        services.TryAddSingleton<ClusterPermits>();
        services.TryAddSingleton<UsageMetrics>();
        services.TryAddSingleton<UsageMeter>();
        services.TryAddSingleton<ChatProviders>();
        services.TryAddSingleton<ChatClient>();
        services.AddStep<LlmStep>("llm");
        services.AddStep<AgentStep>("agent");
        return services;
    }
}
