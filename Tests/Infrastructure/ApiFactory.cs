using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// The Api in its embedded default (co-hosted silo, in-memory storage) on real Kestrel, so SSE
/// tests see the wire. Its own silo ports keep it apart from a developer's running instance.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const int SseBuffer = 16;

    /// <summary>Pools of the embedded silo, one permit each.</summary>
    public const string SiloPool = "api-silo";

    public const string ClusterPool = "api:cluster";

    /// <summary>Silo port 11xxx and gateway port 30xxx: each factory class its own pair.</summary>
    protected virtual int PortSuffix => 411;

    public Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("AgentOrleans:Cluster:SiloPort", (11000 + PortSuffix).ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("AgentOrleans:Cluster:GatewayPort", (30000 + PortSuffix).ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("AgentOrleans:Api:MaxRequestBodyBytes", "65536");
        builder.UseSetting("AgentOrleans:Api:SseHeartbeatInterval", "00:00:00.300");
        builder.UseSetting("AgentOrleans:Cluster:ReminderRefreshPeriod", "00:00:01");
        builder.UseSetting("AgentOrleans:Api:SseClientBufferEvents", SseBuffer.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("AgentOrleans:Executions:MaxChunksPerProgressEvent", "1");
        builder.UseSetting("AgentOrleans:Executions:MaxRetainedEvents", "10000");
        builder.UseSetting("AgentOrleans:Http:AllowedHosts:0", "127.0.0.1");
        builder.UseSetting($"AgentOrleans:Pools:PerSilo:{SiloPool}", "1");
        builder.UseSetting($"AgentOrleans:Pools:Cluster:{ClusterPool}", "1");
        builder.ConfigureServices(services => services.AddTestSteps());
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}
