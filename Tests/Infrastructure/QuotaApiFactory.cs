using System.Globalization;
using AgentOrleans.Grains.Auth;
using Microsoft.AspNetCore.Hosting;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// The embedded Api with tenant quotas and authentication on: a key of tenant <see cref="Slow"/> (2 starts at once,
/// then one each 100 s), a key of tenant <see cref="Free"/> (no start rate), every definition at most
/// <see cref="MaxNodes"/> nodes, and executions in memory bounded to about <see cref="MemoryBound"/> by reckoning each
/// to take a twentieth of the memory the bound may fill.
/// </summary>
public sealed class QuotaApiFactory : ApiFactory
{
    public const string Slow = "quota-slow";
    public const string Free = "quota-free";
    public const int SlowBurst = 2;
    public const int MaxNodes = 3;
    public const int MemoryBound = 20;
    public const double MemoryFraction = 0.5;

    public Dictionary<string, string> Keys { get; } = new() { [Slow] = ApiKeys.New(), [Free] = ApiKeys.New() };

    protected override int PortSuffix => 441;

    public HttpClient ClientOf(string tenant)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Keys[tenant]);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (tenant, key) in Keys)
        {
            builder.UseSetting($"AgentOrleans:Auth:Keys:{tenant}:Hash", ApiKeys.HashHex(key));
            builder.UseSetting($"AgentOrleans:Auth:Keys:{tenant}:Tenant", tenant);
            builder.UseSetting($"AgentOrleans:Auth:Keys:{tenant}:Scopes", string.Join(',', Scopes.All));
        }

        builder.UseSetting("AgentOrleans:Cluster:Dashboard", "false");
        builder.UseSetting("AgentOrleans:Tenants:Defaults:MaxNodes", MaxNodes.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting($"AgentOrleans:Tenants:{Slow}:StartsPerSecond", "0.01");
        builder.UseSetting($"AgentOrleans:Tenants:{Slow}:StartBurst", SlowBurst.ToString(CultureInfo.InvariantCulture));
        var perExecution = (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * MemoryFraction / MemoryBound);
        builder.UseSetting("AgentOrleans:Admission:MemoryFraction", MemoryFraction.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("AgentOrleans:Admission:ExecutionMemoryBytes", perExecution.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("AgentOrleans:Admission:RetryAfter", "00:00:03");
    }
}

[CollectionDefinition(Name)]
public sealed class QuotaApiCollection : ICollectionFixture<QuotaApiFactory>
{
    public const string Name = "api-quotas";
}
