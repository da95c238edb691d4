using AgentOrleans.Grains.Steps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.StartupTasks;

public static class StartupTaskServices
{
    /// <summary>On a silo: the configured tasks, the runner that asks them to run once the silo is active, and the <c>workflows.publish</c> step.</summary>
    public static IServiceCollection AddStartupTasks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStartupTaskOptions(configuration);
        services.AddOptions<StartupTaskRunnerOptions>().Bind(configuration.GetSection(StartupTaskRunnerOptions.SectionName))
            .Validate(o => o.IsValid, $"{StartupTaskRunnerOptions.SectionName}:PollInterval must be positive")
            .ValidateOnStart();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StartupTaskRunner>();
        services.AddStep<PublishWorkflowsStep>(PublishWorkflowsStep.TypeName);
        return services;
    }

    /// <summary>The configured tasks, validated on start (every problem names its key); also what an Api's <c>/readyz</c> reads. Idempotent.</summary>
    public static IServiceCollection AddStartupTaskOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StartupTaskOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<StartupTaskOptions>>(new ReadFromConfiguration(configuration)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StartupTaskOptions>, Validator>());
        return services;
    }

    private sealed class ReadFromConfiguration(IConfiguration configuration) : IConfigureOptions<StartupTaskOptions>
    {
        public void Configure(StartupTaskOptions options) => StartupTaskOptions.Read(configuration, options);
    }

    private sealed class Validator : IValidateOptions<StartupTaskOptions>
    {
        public ValidateOptionsResult Validate(string? name, StartupTaskOptions options) =>
            options.Problems.Count > 0 ? ValidateOptionsResult.Fail(options.Problems) : ValidateOptionsResult.Success;
    }
}
