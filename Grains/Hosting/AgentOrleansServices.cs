using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Steps.BuiltIn;
using AgentOrleans.Grains.Steps.BuiltIn.Llm;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Hosting;

public static class AgentOrleansServices
{
    /// <summary>What grains need on a silo: steps, compiler, cache, options and the HTTP pipeline.</summary>
    public static IServiceCollection AddAgentOrleansGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddBuiltInSteps();
        services.AddSingleton<WorkflowCompiler>();
        services.AddSingleton<CompiledWorkflowCache>();
        services.AddSingleton<WorkflowLoader>();
        services.AddOptions<ExecutionOptions>().Bind(configuration.GetSection(ExecutionOptions.SectionName)).ValidateOnStart();
        services.AddOptions<CompiledWorkflowCacheOptions>().Bind(configuration.GetSection(CompiledWorkflowCacheOptions.SectionName)).ValidateOnStart();
        services.AddOptions<HttpStepOptions>().Bind(configuration.GetSection(HttpStepOptions.SectionName)).ValidateOnStart();

        // Per-host pipelines: one misbehaving host opens only its own circuit breaker. The pipeline's
        // own retry is short (two quick retries of safe methods for blips); the node's retry policy,
        // visible in events, handles everything longer.
        services.AddHttpClient(HttpStep.ClientName)
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.MaxRetryAttempts = 2;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(100);
                resilience.Retry.DisableForUnsafeHttpMethods();
            })
            .SelectPipelineByAuthority();

        // No resilience handler: a streamed answer cannot be replayed by a transparent retry, and
        // the node's retry policy (honouring Retry-After) is the one place retries happen.
        services.AddOptions<LlmOptions>().Bind(configuration.GetSection(LlmOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>();
        services.AddHttpClient(ChatClient.HttpClientName)
            .ConfigureHttpClient((provider, client) => client.Timeout = provider.GetRequiredService<IOptions<LlmOptions>>().Value.RequestTimeout);
        return services;
    }
}
