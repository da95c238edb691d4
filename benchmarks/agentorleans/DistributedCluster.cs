using System.Globalization;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>Failure detection of a <see cref="DistributedCluster"/>: Orleans' defaults, or the tuned values of docs/distributed.md.</summary>
public enum Membership
{
    Tuned,
    Default,
}

/// <summary>
/// The distributed mode with real parts: standalone <c>Silo</c> processes (Redis membership, PostgreSQL
/// grain state and reminders, a fresh ClusterId/ServiceId) and the Api as a pure client of them
/// (<c>AgentOrleans:Cluster:Mode=Client</c>), every process on free loopback ports. The same settings as
/// the distributed tests (Tests/Distributed/SiloCluster.cs). Disposing kills whatever still runs.
/// </summary>
public sealed class DistributedCluster : IAsyncDisposable
{
    /// <summary>
    /// As in the distributed tests: a run whose silo died is revived by its reminder within seconds even
    /// when nobody calls it (the product default is 1 min; see docs/distributed.md for the trade-off).
    /// </summary>
    public const string RecoveryReminderPeriod = "00:00:02";

    /// <summary>The Api gives up on a grain call after this (Orleans' default is 30 s) and answers 503; callers retry.</summary>
    public const string ClientResponseTimeout = "00:00:05";

    private DistributedCluster(string clusterId, List<ChildProcess> silos, ApiHost api)
    {
        ClusterId = clusterId;
        Silos = silos;
        Api = api;
    }

    public string ClusterId { get; }

    public IReadOnlyList<ChildProcess> Silos { get; }

    public ApiHost Api { get; }

    public static async Task<DistributedCluster> StartAsync(
        string siloDll, string apiDll, string redis, string postgres, int siloCount, Membership membership, string logDir, TimeSpan timeout)
    {
        var clusterId = $"bench-{Guid.NewGuid():N}"[..18];
        var shared = new Dictionary<string, string>
        {
            ["AgentOrleans__Cluster__Clustering"] = "Redis",
            ["AgentOrleans__Cluster__RedisConnectionString"] = redis,
            ["AgentOrleans__Cluster__ClusterId"] = clusterId,
            // The probe endpoint the http steps call listens on 127.0.0.1.
            ["AgentOrleans__Http__AllowedHosts__0"] = "127.0.0.1",
            ["AgentOrleans__Cluster__ServiceId"] = clusterId,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        var silos = new List<ChildProcess>();
        try
        {
            var ready = new List<Task>();
            for (var i = 0; i < siloCount; i++)
            {
                var http = ChildProcess.FreePort();
                var env = new Dictionary<string, string>(shared)
                {
                    ["AgentOrleans__Cluster__Storage"] = "Postgres",
                    ["AgentOrleans__Cluster__Reminders"] = "Postgres",
                    ["AgentOrleans__Cluster__PostgresConnectionString"] = WithPoolLimit(postgres),
                    ["AgentOrleans__Cluster__SiloPort"] = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture),
                    ["AgentOrleans__Cluster__GatewayPort"] = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture),
                    // A burst of starts would all land on the silo that looks least loaded; spread them, as the distributed tests do.
                    ["AgentOrleans__Cluster__Placement"] = "Random",
                    ["AgentOrleans__Cluster__Dashboard"] = "false",
                    ["AgentOrleans__Executions__RecoveryReminderPeriod"] = RecoveryReminderPeriod,
                    ["Urls"] = $"http://127.0.0.1:{http}",
                };
                if (membership == Membership.Tuned)
                {
                    env["AgentOrleans__Cluster__Membership__ProbeTimeout"] = "00:00:01";
                    env["AgentOrleans__Cluster__Membership__NumMissedProbesLimit"] = "2";
                    env["AgentOrleans__Cluster__Membership__NumVotesForDeathDeclaration"] = "1";
                    env["AgentOrleans__Cluster__Membership__ResponseTimeout"] = ClientResponseTimeout;
                }

                var silo = ChildProcess.Start(siloDll, [], env, Path.Combine(logDir, $"{clusterId}-silo{i}.log"));
                silos.Add(silo);
                // The silo's web host starts after the silo has joined the cluster, so /healthz means "active".
                ready.Add(silo.WaitReadyAsync(new Uri($"http://127.0.0.1:{http}/healthz"), timeout, $"silo {i}"));
            }

            await Task.WhenAll(ready);
            var api = await ApiHost.StartAsync(apiDll, Path.Combine(logDir, $"{clusterId}-api.log"), timeout, new Dictionary<string, string>(shared)
            {
                ["AgentOrleans__Cluster__Mode"] = "Client",
                ["AgentOrleans__Cluster__Membership__ResponseTimeout"] = ClientResponseTimeout,
            });
            return new DistributedCluster(clusterId, silos, api);
        }
        catch
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// Npgsql pools up to 100 connections per process, and PostgreSQL's default max_connections is 100: two busy
    /// silos exhausted it (measured: "53300: remaining connection slots are reserved", checkpoint retries).
    /// A deployment sizes its pools to its server; here 30 per silo.
    /// </summary>
    private static string WithPoolLimit(string postgres) =>
        postgres.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase) ? postgres : postgres.TrimEnd(';') + ";Maximum Pool Size=30";

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }
    }
}
