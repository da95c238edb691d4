using System.Net;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Retention;
using AgentOrleans.Grains.StartupTasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Dashboard;
using Microsoft.Extensions.Hosting;

namespace AgentOrleans.Grains.Hosting;

public static class AgentOrleansSiloExtensions
{
    /// <summary>
    /// Configures a silo from the <c>AgentOrleans:Cluster</c> section: clustering, storage, reminders, the
    /// event streams and the dashboard. Used by the standalone Silo and the embedded Api alike.
    /// </summary>
    public static ISiloBuilder AddAgentOrleans(this ISiloBuilder silo, IConfiguration configuration)
    {
        var hosting = HostingOptions(configuration);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = hosting.ClusterId;
            o.ServiceId = hosting.ServiceId;
        });

        if (hosting.Clustering == ClusteringKind.Localhost)
        {
            silo.UseLocalhostClustering(hosting.SiloPort, hosting.GatewayPort, serviceId: hosting.ServiceId, clusterId: hosting.ClusterId);
        }
        else
        {
            if (hosting.AdvertisedAddress == "auto")
            {
                silo.ConfigureEndpoints(hosting.SiloPort, hosting.GatewayPort, listenOnAnyHostAddress: true);
            }
            else
            {
                silo.ConfigureEndpoints(IPAddress.Parse(hosting.AdvertisedAddress), hosting.SiloPort, hosting.GatewayPort, listenOnAnyHostAddress: false);
            }
            silo.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(hosting.RedisConnectionString!));
        }

        // Localhost clustering is a cluster of this one silo: its memory storage need not be shared.
        return silo.AddAgentOrleansRuntime(configuration, hosting, singleSilo: hosting.Clustering == ClusteringKind.Localhost);
    }

    /// <summary>
    /// Everything but clustering: storage, reminders, streams, dashboard and services (test clusters bring their own clustering).
    /// <paramref name="singleSilo"/>: the cluster is this silo alone, so memory storage stays in this process (<see cref="SingleSiloGrainStorage"/>).
    /// </summary>
    public static ISiloBuilder AddAgentOrleansRuntime(this ISiloBuilder silo, IConfiguration configuration, OrleansHostingOptions hosting, bool singleSilo = false)
    {
        if (hosting.Storage == StorageKind.Postgres)
        {
            silo.AddAdoNetGrainStorage(StorageNames.Grains, o => UsePostgres(o, hosting));
            silo.AddAdoNetGrainStorage(StorageNames.PubSub, o => UsePostgres(o, hosting));
            silo.Services.UseBinarySerializerForAdoNetStorage(StorageNames.Grains);
            silo.Services.UseBinarySerializerForAdoNetStorage(StorageNames.PubSub);
        }
        else if (singleSilo)
        {
            static SingleSiloGrainStorage InProcess(IServiceProvider services, string _) => new(services.GetRequiredService<Orleans.Serialization.Serializer>());
            silo.Services.AddGrainStorage(StorageNames.Grains, InProcess);
            silo.Services.AddGrainStorage(StorageNames.PubSub, InProcess);
        }
        else
        {
            silo.AddMemoryGrainStorage(StorageNames.Grains);
            silo.AddMemoryGrainStorage(StorageNames.PubSub);
            silo.Services.UseBinarySerializerForMemoryStorage(StorageNames.Grains);
            silo.Services.UseBinarySerializerForMemoryStorage(StorageNames.PubSub);
        }

        if (hosting.Reminders == StorageKind.Postgres)
        {
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = hosting.PostgresConnectionString;
            });
        }
        else
        {
            silo.UseInMemoryReminderService();
        }

        silo.Configure<ReminderOptions>(o =>
        {
            o.MinimumReminderPeriod = TimeSpan.FromSeconds(1);
            o.RefreshReminderListPeriod = hosting.ReminderRefreshPeriod;
        });
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = hosting.Membership.ProbeTimeout ?? o.ProbeTimeout;
            o.NumMissedProbesLimit = hosting.Membership.NumMissedProbesLimit ?? o.NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = hosting.Membership.NumVotesForDeathDeclaration ?? o.NumVotesForDeathDeclaration;
        });
        if (hosting.Membership.ResponseTimeout is { } responseTimeout)
        {
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = responseTimeout);
        }

        silo.Services.AddStorageExceptionSerialization();
        silo.Services.AddExecutionIndex(configuration, hosting);
        silo.AddRetentionSweeper();
        silo.AddPlacement(hosting);

        silo.AddExecutionEventStreams(configuration);
        silo.AddActivityPropagation();
        if (hosting.Dashboard)
        {
            silo.AddDashboard(o =>
            {
                // Counters every 5 s, not 1 s: each sample walks the runtime's observable instruments
                // (docs/decisions.md#dashboard-counters-every-5-s).
                o.CounterUpdateIntervalMs = 5000;
                configuration.GetSection("AgentOrleans:Dashboard").Bind(o);
            });
        }

        silo.Services.AddAgentOrleansGrainServices(configuration);
        silo.Services.AddStartupTasks(configuration);
        return silo;
    }

    /// <summary>
    /// Memory streams, tuned (<see cref="EventStreamOptions"/>): 4 queues whose pulling agents poll every
    /// 2 ms in batches of 100, instead of Orleans' 8 every 100 ms one at a time
    /// (docs/decisions.md#stream-queues-and-batches).
    /// </summary>
    public static ISiloBuilder AddExecutionEventStreams(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(EventStreamOptions.SectionName).Get<EventStreamOptions>() ?? new EventStreamOptions();
        return silo.AddMemoryStreams(StreamNames.Provider, streams =>
        {
            streams.ConfigurePartitioning(options.Queues);
            streams.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = options.PollInterval;
                o.BatchContainerBatchSize = options.BatchSize;
            }));
        });
    }

    /// <summary>
    /// Lets storage errors cross the wire. A grain whose state cannot be read fails with an Orleans
    /// exception wrapping Npgsql's; Orleans serializes only exceptions of namespaces it was told of,
    /// so without this the silo cannot send the error back and the Api answers 500 instead of 503
    /// (docs/decisions.md#storage-errors-cross-the-wire). Silos and clients both.
    /// </summary>
    public static IServiceCollection AddStorageExceptionSerialization(this IServiceCollection services) =>
        services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));

    public static OrleansHostingOptions HostingOptions(IConfiguration configuration)
    {
        var hosting = configuration.GetSection(OrleansHostingOptions.SectionName).Get<OrleansHostingOptions>() ?? new OrleansHostingOptions();
        var problems = hosting.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(OrleansHostingOptions.SectionName, typeof(OrleansHostingOptions), problems);
        }

        return hosting;
    }

    private static void UsePostgres(AdoNetGrainStorageOptions options, OrleansHostingOptions hosting)
    {
        // The ADO.NET providers default to SQL Server even with a connection string given.
        options.Invariant = "Npgsql";
        options.ConnectionString = hosting.PostgresConnectionString;
    }
}
