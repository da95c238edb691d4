using Microsoft.AspNetCore.Hosting;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>The Api with small admission bounds: 3 executions in total, 2 per workflow.</summary>
public sealed class LimitedApiFactory : ApiFactory
{
    public const int MaxActive = 3;
    public const int MaxPerWorkflow = 2;

    protected override int PortSuffix => 412;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AgentOrleans:Admission:MaxActiveExecutions", MaxActive.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("AgentOrleans:Admission:MaxActivePerWorkflow", MaxPerWorkflow.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("AgentOrleans:Admission:RetryAfter", "00:00:07");
        builder.UseSetting("AgentOrleans:Cluster:Dashboard", "false");
    }
}

[CollectionDefinition(Name)]
public sealed class LimitedApiCollection : ICollectionFixture<LimitedApiFactory>
{
    public const string Name = "api-limited";
}
