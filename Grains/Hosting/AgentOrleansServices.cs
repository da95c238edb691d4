using AgentOrleans.Grains.Admission;
using AgentOrleans.Grains.Bulk;
using AgentOrleans.Grains.Caching;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Http;
using AgentOrleans.Grains.Mcp;
using AgentOrleans.Grains.Pools;
using AgentOrleans.Grains.Schedules;
using AgentOrleans.Grains.Secrets;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Steps.BuiltIn;
using AgentOrleans.Grains.Steps.BuiltIn.Llm;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Telemetry;
using AgentOrleans.Grains.Webhooks;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace AgentOrleans.Grains.Hosting;

public static class AgentOrleansServices
{
    /// <summary>What grains need on a silo: steps, compiler, cache, options and the HTTP pipeline.</summary>
    public static IServiceCollection AddAgentOrleansGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        // Before the steps, which fall back to the host's configuration: a store registered earlier (a vault's) is kept.
        services.TryAddSingleton<ISecretStore>(new ConfigurationSecretStore(configuration));
        services.AddOptions<SecretsConfigurationCheck>().Configure(o => o.Problems.AddRange(ConfigurationSecretStore.Problems(configuration))).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecretsConfigurationCheck>, SecretsConfigurationValidator>();
        services.AddBuiltInSteps();
        services.AddSingleton<WorkflowCompiler>();
        services.AddSingleton<CompiledWorkflowCache>();
        services.AddSingleton<WorkflowLoader>();
        services.AddMetrics();
        services.TryAddSingleton<AgentOrleansMetrics>();
        services.AddOptions<ExecutionOptions>().Bind(configuration.GetSection(ExecutionOptions.SectionName))
            .Validate(o => o.IsValid, "AgentOrleans:Executions: ParkAfter must be positive, MaxBufferedSignals and MaxSignalKeys not negative, MaxEventAge positive when set")
            .ValidateOnStart();
        services.AddOptions<ScheduleOptions>().Bind(configuration.GetSection(ScheduleOptions.SectionName))
            .Validate(o => o.IsValid, "AgentOrleans:Schedules: RecoveryReminderPeriod at least 1 s, LateFireTolerance not negative, BufferPollInterval positive, KeptFires and MaxTrackedRuns at least 1")
            .ValidateOnStart();
        services.AddBulkOperations(configuration);
        services.AddOptions<CompiledWorkflowCacheOptions>().Bind(configuration.GetSection(CompiledWorkflowCacheOptions.SectionName)).ValidateOnStart();
        services.AddOptions<AdmissionOptions>().Bind(configuration.GetSection(AdmissionOptions.SectionName))
            .Validate(o => o.IsValid, "AgentOrleans:Admission: MaxActiveExecutions and MaxActivePerWorkflow must be 0 (unbounded) or positive, RetryAfter not negative, ReconcileInterval positive, MemoryFraction from 0 to 1, ExecutionMemoryBytes not negative")
            .ValidateOnStart();
        services.AddSingleton<InMemoryExecutions>();
        services.AddTenantQuotas(configuration);
        services.AddStepCache(configuration);
        services.AddOptions<PoolOptions>().Configure(o => PoolOptions.Read(configuration, o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PoolOptions>, PoolOptionsValidator>();
        services.AddSingleton<SiloPools>();
        services.AddOptions<HttpStepOptions>().Bind(configuration.GetSection(HttpStepOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpStepOptions>, HttpStepOptionsValidator>();

        AddHttpStepClient(services, HttpStep.ClientName, followRedirects: true);
        // Requests that carry secrets follow their redirects in the step (SecretRedirects), which drops them on a hop to another origin.
        AddHttpStepClient(services, SecretRedirects.ClientName, followRedirects: false);
        services.AddWebhooks(configuration);
        services.AddMcpServers(configuration);

        // No resilience handler: a streamed answer cannot be replayed by a transparent retry, and
        // the node's retry policy (honouring Retry-After) is the one place retries happen.
        services.AddOptions<LlmOptions>().Bind(configuration.GetSection(LlmOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>();
        // Each provider's client holds its HttpClient for good, so connections, not handlers, are what get recycled (DNS changes).
        services.AddHttpClient(ChatProviders.HttpClientName)
            .ConfigureHttpClient((provider, client) => client.Timeout = provider.GetRequiredService<IOptions<LlmOptions>>().Value.RequestTimeout)
            .AddOutboundGuard(sp => sp.GetRequiredService<IOptions<HttpStepOptions>>().Value.Outbound, followRedirects: false)
            .ConfigurePrimaryHttpMessageHandler((handler, _) => ((SocketsHttpHandler)handler).PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .RedactLoggedHeaders(_ => true)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        return services;
    }

    /// <summary>
    /// The http step's client: per-host pipelines, so one misbehaving host opens only its own circuit breaker. The
    /// pipeline's own retry is short (two quick retries of safe methods for blips); the node's retry policy, visible
    /// in events, handles everything longer.
    /// </summary>
    private static void AddHttpStepClient(IServiceCollection services, string name, bool followRedirects) =>
        services.AddHttpClient(name)
            .AddOutboundGuard(sp => sp.GetRequiredService<IOptions<HttpStepOptions>>().Value.Outbound, followRedirects)
            // Trace-level logs list the request's headers: their values may be secrets (the default since .NET 9, said here).
            .RedactLoggedHeaders(_ => true)
            .AddHttpMessageHandler(sp => new BreakerAuthorities(sp.GetRequiredService<AgentOrleansMetrics>()))
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.MaxRetryAttempts = 2;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(100);
                resilience.Retry.ShouldHandle = args => OutboundGuardExtensions.IsTransientAndNotRefused(args.Outcome);
                resilience.CircuitBreaker.ShouldHandle = args => OutboundGuardExtensions.IsTransientAndNotRefused(args.Outcome);
                resilience.Retry.DisableForUnsafeHttpMethods();
            })
            .Configure((resilience, sp) => ReportBreakerState(resilience, sp))
            .SelectPipelineByAuthority();

    private static void ReportBreakerState(HttpStandardResilienceOptions resilience, IServiceProvider services)
    {
        var http = services.GetRequiredService<IOptions<HttpStepOptions>>().Value;
        var metrics = services.GetRequiredService<AgentOrleansMetrics>();
        resilience.CircuitBreaker.MinimumThroughput = http.BreakerMinimumThroughput;
        resilience.CircuitBreaker.BreakDuration = http.BreakerBreakDuration;

        // The options are shared by every authority's pipeline; the request says which breaker moved.
        static string Authority(ResilienceContext context) => context.GetRequestMessage()?.RequestUri?.Authority ?? "unknown";
        resilience.CircuitBreaker.OnOpened = args =>
        {
            metrics.BreakerChanged(Authority(args.Context), BreakerState.Open);
            return default;
        };
        resilience.CircuitBreaker.OnHalfOpened = args =>
        {
            metrics.BreakerChanged(Authority(args.Context), BreakerState.HalfOpen);
            return default;
        };
        resilience.CircuitBreaker.OnClosed = args =>
        {
            metrics.BreakerChanged(Authority(args.Context), BreakerState.Closed);
            return default;
        };
    }
}
