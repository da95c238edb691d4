using System.Globalization;
using AgentOrleans.Grains.Executions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

/// <summary>
/// N silo processes sharing Redis membership and PostgreSQL state under a fresh cluster id, and an
/// Orleans client in the test process joined to them. Disposing kills whatever still runs.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    /// <summary>
    /// Recovery reminder period for the test silos. Short, so a run whose silo died is revived within
    /// seconds even with nobody calling it; the price (in production too) is one reminder tick per
    /// running execution per period, which is why the product default is 1 minute.
    /// </summary>
    public const string RecoveryReminderPeriod = "00:00:02";

    private readonly DistributedFixture _servers;
    private readonly Membership _membership;
    private readonly ITestOutputHelper _output;
    private IHost? _clientHost;

    private readonly IReadOnlyDictionary<string, string> _extra;

    private SiloCluster(DistributedFixture servers, Membership membership, ITestOutputHelper output, IReadOnlyDictionary<string, string>? extra)
    {
        _servers = servers;
        _membership = membership;
        _output = output;
        _extra = extra ?? new Dictionary<string, string>();
    }

    public string ClusterId { get; } = $"dist-{Guid.NewGuid():N}"[..17];

    public List<SiloProcess> Silos { get; } = [];

    public IClusterClient Client => _clientHost!.Services.GetRequiredService<IClusterClient>();

    public DistributedRuns Runs => new(Client);

    public static async Task<SiloCluster> StartAsync(
        DistributedFixture servers, int count, Membership membership, ITestOutputHelper output, IReadOnlyDictionary<string, string>? extra = null)
    {
        var cluster = new SiloCluster(servers, membership, output, extra);
        try
        {
            for (var i = 0; i < count; i++)
            {
                cluster.Silos.Add(SiloProcess.Start(cluster.Settings()));
            }

            await cluster.ConnectClientAsync();
            await cluster.WaitForActiveSilosAsync(count);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more silo with <paramref name="extra"/> settings on top of the cluster's, and waits until it is active.</summary>
    public async Task<SiloProcess> AddSiloAsync(IReadOnlyDictionary<string, string> extra) => (await AddSilosAsync(1, extra))[0];

    /// <summary>Starts <paramref name="count"/> silos at once and waits until every running silo is active.</summary>
    public async Task<List<SiloProcess>> AddSilosAsync(int count, IReadOnlyDictionary<string, string> extra)
    {
        var settings = Settings();
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var added = Enumerable.Range(0, count).Select(_ => SiloProcess.Start(settings)).ToList();
        Silos.AddRange(added);

        // One count for all of them: a wait per silo would expect a count the others' joining has already passed.
        await WaitForActiveSilosAsync(Silos.Count(s => !s.HasExited));
        return added;
    }

    /// <summary>The silo addresses Orleans considers active, by silo port.</summary>
    public async Task<Dictionary<int, SiloAddress>> ActiveSilosAsync()
    {
        var hosts = await Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5));
        return hosts.Keys.ToDictionary(s => s.Endpoint.Port);
    }

    /// <summary>Which of <paramref name="executionIds"/> have an activation on <paramref name="silo"/>.</summary>
    public async Task<HashSet<string>> ExecutionsOnAsync(SiloProcess silo, IEnumerable<string> executionIds)
    {
        var address = (await ActiveSilosAsync())[silo.SiloPort];
        var stats = await Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(hostsIds: [address]).WaitAsync(TimeSpan.FromSeconds(10));
        var hosted = stats.Select(s => s.GrainId.Key.ToString()).ToHashSet();
        return executionIds.Where(hosted.Contains).ToHashSet();
    }

    public async Task WaitForActiveSilosAsync(int count)
    {
        var seen = 0;
        var ok = await DistributedRuns.PollAsync(TimeSpan.FromSeconds(60), async () =>
        {
            seen = (await ActiveSilosAsync()).Count;
            return seen == count;
        });
        Assert.True(ok, $"expected {count} active silos within 60 s, saw {seen}\n{LogTails()}");
    }

    /// <summary>The silo hosting most of <paramref name="executionIds"/>, and those it hosts.</summary>
    public async Task<(SiloProcess Silo, HashSet<string> Hosted)> BusiestSiloAsync(IReadOnlyCollection<string> executionIds)
    {
        (SiloProcess Silo, HashSet<string> Hosted) busiest = (Silos[0], []);
        foreach (var silo in Silos.Where(s => !s.HasExited))
        {
            var hosted = await ExecutionsOnAsync(silo, executionIds);
            if (hosted.Count > busiest.Hosted.Count)
            {
                busiest = (silo, hosted);
            }
        }

        return busiest;
    }

    public string LogTails() => string.Join("\n", Silos.Select(s => $"--- silo {s.Index} (pid {s.Pid}, {s.LogPath}):\n{s.LogTail(15)}"));

    public async ValueTask DisposeAsync()
    {
        if (_clientHost is not null)
        {
            try
            {
                await _clientHost.StopAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception ex) when (ex is OperationCanceledException or OrleansException or TimeoutException)
            {
                // The cluster may already be gone.
            }

            _clientHost.Dispose();
        }

        foreach (var silo in Silos)
        {
            silo.Stop();
        }
    }

    private Dictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>
        {
            ["AgentOrleans__Cluster__Clustering"] = "Redis",
            // A burst of starts would all land on the one silo that looks least loaded; these tests need them spread.
            ["AgentOrleans__Cluster__Placement"] = "Random",
            ["AgentOrleans__Cluster__RedisConnectionString"] = _servers.Redis,
            ["AgentOrleans__Cluster__Storage"] = "Postgres",
            ["AgentOrleans__Cluster__Reminders"] = "Postgres",
            ["AgentOrleans__Cluster__PostgresConnectionString"] = _servers.Postgres,
            ["AgentOrleans__Cluster__ClusterId"] = ClusterId,
            ["AgentOrleans__Cluster__ServiceId"] = ClusterId,
            ["AgentOrleans__Cluster__Dashboard"] = "false",
            ["AgentOrleans__Executions__RecoveryReminderPeriod"] = RecoveryReminderPeriod,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__AgentOrleans"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        if (_membership == Membership.Tuned)
        {
            settings["AgentOrleans__Cluster__Membership__ProbeTimeout"] = "00:00:01";
            settings["AgentOrleans__Cluster__Membership__NumMissedProbesLimit"] = "2";
            settings["AgentOrleans__Cluster__Membership__NumVotesForDeathDeclaration"] = "1";
            settings["AgentOrleans__Cluster__Membership__ResponseTimeout"] = "00:00:05";
        }

        foreach (var (key, value) in _extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private async Task ConnectClientAsync()
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ClusterId;
            });
            client.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(_servers.Redis));
            client.AddMemoryStreams(StreamNames.Provider);
            // Calls caught in flight to a killed silo fail after this instead of 30 s; callers retry.
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            client.UseConnectionRetryFilter(async (_, ct) =>
            {
                // The silos register their gateways in Redis while they start.
                await Task.Delay(DistributedRuns.RetryBackoff, ct);
                return DateTime.UtcNow < until;
            });
        });
        _clientHost = builder.Build();
        var started = System.Diagnostics.Stopwatch.StartNew();
        await _clientHost.StartAsync();
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cluster {ClusterId}: {Silos.Count} silos ({_membership} membership), client connected after {started.Elapsed.TotalSeconds:F1} s"));
    }
}
