namespace AgentOrleans.Grains.Hosting;

/// <summary>
/// How silos and clients join the cluster and where state lives. Section <c>AgentOrleans:Cluster</c>; every
/// key can be set as an environment variable such as <c>AgentOrleans__Cluster__Clustering=Redis</c>.
/// </summary>
public sealed class OrleansHostingOptions
{
    public const string SectionName = "AgentOrleans:Cluster";

    /// <summary>Api only: <c>Embedded</c> co-hosts a silo in the Api process (default); <c>Client</c> joins external silos.</summary>
    public ApiMode Mode { get; set; } = ApiMode.Embedded;

    /// <summary><c>Localhost</c> (default, one process or one machine) or <c>Redis</c>.</summary>
    public ClusteringKind Clustering { get; set; } = ClusteringKind.Localhost;

    /// <summary>Grain state: <c>Memory</c> (default) or <c>Postgres</c>.</summary>
    public StorageKind Storage { get; set; } = StorageKind.Memory;

    /// <summary>Durable reminders: <c>Memory</c> (default) or <c>Postgres</c>.</summary>
    public StorageKind Reminders { get; set; } = StorageKind.Memory;

    /// <summary>
    /// How often each silo re-reads its share of the reminder table. Default 30 s (Orleans' own default is 5 min):
    /// Orleans 10 keeps each finished run's removed reminder in memory as a tombstone until this refresh
    /// (docs/decisions.md#reminder-refresh-period-30-s).
    /// </summary>
    public TimeSpan ReminderRefreshPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>StackExchange.Redis configuration string, such as <c>127.0.0.1:6380</c>; required for Redis clustering.</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>Npgsql connection string; required when storage or reminders are <c>Postgres</c>.</summary>
    public string? PostgresConnectionString { get; set; }

    public string ClusterId { get; set; } = "agentorleans";

    public string ServiceId { get; set; } = "agentorleans";

    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Address silos bind and advertise. Default 127.0.0.1: nothing listens beyond this machine
    /// unless configured. <c>auto</c> advertises the host's own address and listens on all
    /// interfaces (containers, where the address is not known in advance).
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Serve the Orleans dashboard on silos. Default true.</summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>
    /// Where new executions go. <c>ExecutionLoad</c> (default): the silo with the fewest executions queued or
    /// running, other grains Orleans' default. <c>ResourceOptimized</c>: Orleans' default for every grain (the
    /// silo with the least CPU, memory and activations in use). <c>Random</c>: every grain at random (spreads a
    /// burst evenly whatever the load). Use the same value on every silo.
    /// </summary>
    public PlacementKind Placement { get; set; } = PlacementKind.ExecutionLoad;

    /// <summary>With <c>ExecutionLoad</c>: how often each silo reports its count and reads the others'. Default 1 s.</summary>
    public TimeSpan PlacementRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Failure detection; null keeps Orleans' defaults. Tuned values and their failover times: docs/distributed.md#figures.</summary>
    public MembershipTiming Membership { get; set; } = new();

    /// <summary>Every problem with these settings, as plain sentences.</summary>
    public IEnumerable<string> Problems()
    {
        if (Clustering == ClusteringKind.Redis && string.IsNullOrWhiteSpace(RedisConnectionString))
        {
            yield return "AgentOrleans:Cluster:Clustering is Redis, so AgentOrleans:Cluster:RedisConnectionString is required (for example 127.0.0.1:6380)";
        }

        if ((Storage == StorageKind.Postgres || Reminders == StorageKind.Postgres) && string.IsNullOrWhiteSpace(PostgresConnectionString))
        {
            yield return "AgentOrleans:Cluster:Storage or AgentOrleans:Cluster:Reminders is Postgres, so AgentOrleans:Cluster:PostgresConnectionString is required";
        }

        if (Clustering == ClusteringKind.Localhost && Mode == ApiMode.Client)
        {
            yield return "AgentOrleans:Cluster:Mode Client joins external silos and needs AgentOrleans:Cluster:Clustering Redis";
        }

        if (PlacementRefreshInterval <= TimeSpan.Zero)
        {
            yield return "AgentOrleans:Cluster:PlacementRefreshInterval must be positive";
        }

        if (ReminderRefreshPeriod <= TimeSpan.Zero || ReminderRefreshPeriod > TimeSpan.FromMinutes(10))
        {
            // Orleans refuses a refresh period longer than its reminder loading window (10 min).
            yield return "AgentOrleans:Cluster:ReminderRefreshPeriod must be positive and at most 10 minutes";
        }

        if (AdvertisedAddress != "auto" && !System.Net.IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return $"AgentOrleans:Cluster:AdvertisedAddress '{AdvertisedAddress}' is not an IP address";
        }
    }
}

public enum ApiMode
{
    Embedded,
    Client,
}

public enum ClusteringKind
{
    Localhost,
    Redis,
}

public enum PlacementKind
{
    ExecutionLoad,
    ResourceOptimized,
    Random,
}

public enum StorageKind
{
    Memory,
    Postgres,
}

/// <summary>Membership failure-detection settings; null means Orleans' default.</summary>
public sealed class MembershipTiming
{
    public TimeSpan? ProbeTimeout { get; set; }

    public int? NumMissedProbesLimit { get; set; }

    public int? NumVotesForDeathDeclaration { get; set; }

    /// <summary>Grain call response timeout (Orleans default 30 s); lower so calls to a dead silo fail fast.</summary>
    public TimeSpan? ResponseTimeout { get; set; }
}
