using Microsoft.Extensions.Configuration;

namespace AgentOrleans.Grains.Pools;

/// <summary>
/// Resource pools a node may declare it <c>needs</c>. Section <c>AgentOrleans:Pools</c>:
/// <c>PerSilo:{name}=N</c> (each silo has N permits, such as <c>cpu=2</c>) and
/// <c>Cluster:{name}=N</c> (N permits shared by the cluster, such as <c>llm:openai=20</c>).
/// A definition that needs a pool configured in neither is refused at publish.
/// </summary>
public sealed class PoolOptions
{
    public const string SectionName = "AgentOrleans:Pools";

    public Dictionary<string, int> PerSilo { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> Cluster { get; } = new(StringComparer.Ordinal);

    /// <summary>How long a cluster permit is held without renewal; the holder renews at a third of it. Default 30 s.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a waiter asks a cluster pool again. Default 200 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Reads the section by hand: pool names contain ':' (<c>llm:openai</c>), which the binder would
    /// take for nested sections.
    /// </summary>
    public static void Read(IConfiguration configuration, PoolOptions options)
    {
        var section = configuration.GetSection(SectionName);
        Fill(section.GetSection("PerSilo"), options.PerSilo);
        Fill(section.GetSection("Cluster"), options.Cluster);
        options.LeaseDuration = section.GetValue("LeaseDuration", options.LeaseDuration);
        options.PollInterval = section.GetValue("PollInterval", options.PollInterval);
    }

    public IEnumerable<string> Problems() =>
        PerSilo.Concat(Cluster).Where(p => p.Value < 1).Select(p => $"AgentOrleans:Pools: pool '{p.Key}' needs a capacity of 1 or more")
            .Concat(PerSilo.Keys.Intersect(Cluster.Keys).Select(name => $"AgentOrleans:Pools: pool '{name}' is both PerSilo and Cluster"))
            .Concat(LeaseDuration <= TimeSpan.Zero || PollInterval <= TimeSpan.Zero ? ["AgentOrleans:Pools: LeaseDuration and PollInterval must be positive"] : []);

    // Leaves only: some configuration sources (host settings chained into the app's) also report the
    // intermediate path "llm" of "llm:openai" with an empty value, which is not a pool.
    private static void Fill(IConfigurationSection section, Dictionary<string, int> pools, string prefix = "")
    {
        foreach (var child in section.GetChildren())
        {
            var name = prefix + child.Key;
            if (child.GetChildren().Any())
            {
                Fill(child, pools, name + ":");
            }
            else if (child.Value is not null)
            {
                pools[name] = int.TryParse(child.Value, out var capacity) ? capacity : 0;
            }
        }
    }
}
