using AgentOrleans.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>One in-process two-silo cluster shared by the grain tests; each test uses fresh keys.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The in-process LLM simulator the <c>default</c> provider points at.</summary>
    public SimulatorServer Simulator { get; } = new();

    public async Task InitializeAsync()
    {
        // The simulator takes a free port first; the silos read the provider's URL when they are configured.
        await Simulator.StartAsync();
        Configuration[$"AgentOrleans:Llm:Providers:default:BaseUrl"] = Simulator.BaseUrl;
        Configuration[$"AgentOrleans:Llm:Providers:{PooledProvider}:BaseUrl"] = Simulator.BaseUrl;
        Configuration[$"AgentOrleans:Llm:Providers:{RateLimitedProvider}:BaseUrl"] = Simulator.BaseUrl;
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Simulator.DisposeAsync();
    }

    /// <summary>A provider bound to the cluster pool <see cref="PooledProviderPool"/> (capacity 1), on the simulator's slow model.</summary>
    public const string PooledProvider = "pooled";

    public const string PooledProviderPool = "test:llm";

    /// <summary>A provider with a tokens-per-minute pool (Tests/Usage), on the simulator's fast model.</summary>
    public const string RateLimitedProvider = "tpm";

    /// <summary>A provider with no BaseUrl: the <see cref="ScriptedChatClient"/> each silo registers under this name.</summary>
    public const string ScriptedProvider = "scripted";

    /// <summary>A provider at the cloud metadata address, which the outbound guard refuses.</summary>
    public const string RefusedProvider = "refused";

    /// <summary>The registered client of <see cref="ScriptedProvider"/>, shared by both silos.</summary>
    public static ScriptedChatClient Scripted { get; } = new();

    /// <summary>Signals an execution of the test cluster buffers before it refuses more.</summary>
    public const int MaxBufferedSignals = 5;

    /// <summary>A fake key the LLM tests check never leaks into events or logs.</summary>
    public const string ApiKey = "sk-test-SECRET-123";

    /// <summary>Test settings: the local server allowed to the http step, short grace periods so tests of abandonment finish quickly; pools named in Tests/Pools.</summary>
    internal static IConfiguration Configuration { get; } = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentOrleans:Executions:AbandonGracePeriod"] = "00:00:00.500",
            ["AgentOrleans:Executions:MaxRetainedEvents"] = "200",
            ["AgentOrleans:Executions:RecoveryReminderPeriod"] = "00:00:02",
            ["AgentOrleans:Executions:FinishedKeepAlive"] = "00:00:00.300",
            ["AgentOrleans:Executions:ParkAfter"] = "00:00:02",
            ["AgentOrleans:Executions:MaxBufferedSignals"] = MaxBufferedSignals.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AgentOrleans:Cluster:Dashboard"] = "false",
            // LocalHttpServer's address only: other loopback forms and private addresses stay refused, as in production.
            ["AgentOrleans:Http:AllowedHosts:0"] = "127.0.0.1",
            ["AgentOrleans:Llm:Providers:default:Model"] = "sim-fast",
            ["AgentOrleans:Llm:Providers:default:ApiKey"] = ApiKey,
            [$"AgentOrleans:Llm:Providers:{PooledProvider}:Model"] = "sim-slow",
            [$"AgentOrleans:Llm:Providers:{PooledProvider}:Pool"] = PooledProviderPool,
            [$"AgentOrleans:Llm:Providers:{ScriptedProvider}:Model"] = "scripted-model",
            [$"AgentOrleans:Llm:Providers:{RefusedProvider}:BaseUrl"] = "http://169.254.169.254/v1",
            [$"AgentOrleans:Llm:Providers:{RefusedProvider}:Model"] = "sim-fast",
            [$"AgentOrleans:Pools:Cluster:{PooledProviderPool}"] = "1",
            ["AgentOrleans:Pools:Cluster:test:two"] = "2",
            ["AgentOrleans:Pools:Cluster:test:one"] = "1",
            ["AgentOrleans:Pools:Cluster:test:faulty"] = "1",
            ["AgentOrleans:Pools:Cluster:test:moves"] = "1",
            ["AgentOrleans:Pools:PerSilo:test-silo"] = "1",
            ["AgentOrleans:Pools:PollInterval"] = "00:00:00.020",
            ["AgentOrleans:Pools:LeaseDuration"] = "00:00:01.500",
            ["AgentOrleans:Pools:Cluster:test:fair"] = "1",
            // Tenants of Tests/Tenants/Quota* and Tests/Admission/TenantAdmission*; the default tenant stays unlimited.
            [$"AgentOrleans:Tenants:{QuotaTenants.Capped}:MaxActiveExecutions"] = "2",
            [$"AgentOrleans:Tenants:{QuotaTenants.Small}:MaxNodes"] = "2",
            [$"AgentOrleans:Tenants:{QuotaTenants.Small}:MaxDefinitionBytes"] = "400",
            [$"AgentOrleans:Tenants:{QuotaTenants.Heavy}:PoolWeight"] = "3",
            // Webhook retries in milliseconds, given up after 1.5 s (Tests/Webhooks).
            ["AgentOrleans:Webhooks:FirstRetryDelay"] = "00:00:00.100",
            ["AgentOrleans:Webhooks:MaxRetryDelay"] = "00:00:00.200",
            ["AgentOrleans:Webhooks:GiveUpAfter"] = "00:00:01.500",
            ["AgentOrleans:Webhooks:SubscriptionRefresh"] = "00:00:00.200",
            ["AgentOrleans:Webhooks:RecoveryReminderPeriod"] = "00:00:02",
            // Tests/Caching: an output over 2 KB is not cached.
            ["AgentOrleans:StepCache:MaxEntryBytes"] = "2048",
            // Prices, a tokens-per-minute pool and a tenant's daily budget (Tests/Usage): a token costs 0.001 in, 0.002 out.
            ["AgentOrleans:Llm:Prices:sim-fast:InputPerMillion"] = "1000",
            ["AgentOrleans:Llm:Prices:sim-fast:OutputPerMillion"] = "2000",
            ["AgentOrleans:Llm:Prices:sim-loop:InputPerMillion"] = "1000",
            ["AgentOrleans:Llm:Prices:sim-loop:OutputPerMillion"] = "2000",
            [$"AgentOrleans:Llm:Providers:{RateLimitedProvider}:Model"] = "sim-fast",
            [$"AgentOrleans:Llm:Providers:{RateLimitedProvider}:TokensPerMinute"] = "100000",
            [$"AgentOrleans:Tenants:{QuotaTenants.DailyBudget}:DailyTokens"] = "40",
        })
        .Build();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddAgentOrleansRuntime(Configuration, AgentOrleansSiloExtensions.HostingOptions(Configuration));
            siloBuilder.Services.AddTestSteps();
            siloBuilder.Services.AddFakeStepCacheClock();
            siloBuilder.Services.AddKeyedChatClient(ScriptedProvider, Scripted);
            siloBuilder.AddIncomingGrainCallFilter<CallFaults>();
            siloBuilder.AddIncomingGrainCallFilter<PoolCallLog>();
            siloBuilder.Services.AddSingleton<ILoggerProvider>(CapturedLogs.Provider);
            siloBuilder.Services.AddLogging(logging => logging.AddFilter<CapturedLogs>("AgentOrleans", LogLevel.Trace));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.AddMemoryStreams(AgentOrleans.Grains.Executions.StreamNames.Provider).AddActivityPropagation();
    }
}

/// <summary>Tenants the test cluster gives quotas.</summary>
public static class QuotaTenants
{
    /// <summary>At most 2 active executions.</summary>
    public const string Capped = "quota-capped";

    /// <summary>Definitions of at most 2 nodes and 400 bytes.</summary>
    public const string Small = "quota-small";

    /// <summary>Pool weight 3.</summary>
    public const string Heavy = "quota-heavy";

    /// <summary>40 tokens of model calls a day.</summary>
    public const string DailyBudget = "quota-daily";
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
