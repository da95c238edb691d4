using AgentOrleans.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>One in-process two-silo cluster shared by the grain tests; each test uses fresh keys.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.StopAllSilosAsync();

    /// <summary>Test settings: short grace periods so tests of abandonment finish quickly.</summary>
    internal static IConfiguration Configuration { get; } = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentOrleans:Executions:AbandonGracePeriod"] = "00:00:00.500",
            ["AgentOrleans:Executions:MaxRetainedEvents"] = "200",
            ["AgentOrleans:Executions:RecoveryReminderPeriod"] = "00:00:02",
            ["AgentOrleans:Cluster:Dashboard"] = "false",
            ["AgentOrleans:Pools:Cluster:test:two"] = "2",
            ["AgentOrleans:Pools:Cluster:test:one"] = "1",
            ["AgentOrleans:Pools:PerSilo:test-silo"] = "1",
            ["AgentOrleans:Pools:PollInterval"] = "00:00:00.020",
            ["AgentOrleans:Pools:LeaseDuration"] = "00:00:01.500",
        })
        .Build();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddAgentOrleansRuntime(Configuration, AgentOrleansSiloExtensions.HostingOptions(Configuration));
            siloBuilder.Services.AddTestSteps();
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.AddMemoryStreams(AgentOrleans.Grains.Executions.StreamNames.Provider).AddActivityPropagation();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
