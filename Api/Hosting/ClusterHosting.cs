using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Index;
using Orleans.Configuration;

namespace AgentOrleans.Api.Hosting;

public static class ClusterHosting
{
    /// <summary>
    /// The embedded default co-hosts a silo in this process; <c>AgentOrleans:Cluster:Mode=Client</c> makes the
    /// Api a pure client of external silos. Configuration alone switches between them.
    /// </summary>
    public static WebApplicationBuilder AddAgentOrleansCluster(this WebApplicationBuilder builder)
    {
        var hosting = AgentOrleansSiloExtensions.HostingOptions(builder.Configuration);
        builder.Services.AddSingleton(new GrainCallTimeout(hosting.Membership.ResponseTimeout ?? TimeSpan.FromSeconds(30)));
        if (hosting.Mode == ApiMode.Embedded)
        {
            builder.UseOrleans(silo => silo.AddAgentOrleans(builder.Configuration));
            return builder;
        }

        builder.Services.AddExecutionIndex(builder.Configuration, hosting);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = hosting.ClusterId;
                o.ServiceId = hosting.ServiceId;
            });
            client.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(hosting.RedisConnectionString!));
            client.AddMemoryStreams(StreamNames.Provider);
            client.AddActivityPropagation();
            client.Services.AddStorageExceptionSerialization();
            if (hosting.Membership.ResponseTimeout is { } timeout)
            {
                client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = timeout);
            }
        });
        return builder;
    }
}
