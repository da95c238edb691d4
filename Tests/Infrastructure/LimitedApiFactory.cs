using Microsoft.AspNetCore.Hosting;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// The Api with small admission bounds (3 executions in total, 2 per workflow) and no heartbeat
/// within a test's time, so nothing but the event writes themselves flushes an SSE response;
/// grain calls time out after <see cref="ResponseTimeoutSeconds"/>, below the long-polls tested here.
/// </summary>
public sealed class LimitedApiFactory : ApiFactory
{
    public const int MaxActive = 3;
    public const int MaxPerWorkflow = 2;
    public const int ResponseTimeoutSeconds = 4;

    protected override int PortSuffix => 412;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AgentOrleans:Admission:MaxActiveExecutions", MaxActive.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("AgentOrleans:Admission:MaxActivePerWorkflow", MaxPerWorkflow.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("AgentOrleans:Admission:RetryAfter", "00:00:07");
        builder.UseSetting("AgentOrleans:Cluster:Dashboard", "false");
        // The samples' startup task is an execution too: it would hold one of the few slots these tests count.
        builder.UseSetting("AgentOrleans:Api:PreloadSamples", "false");
        builder.UseSetting("AgentOrleans:Api:SseHeartbeatInterval", "01:00:00");
        builder.UseSetting("AgentOrleans:Cluster:Membership:ResponseTimeout", TimeSpan.FromSeconds(ResponseTimeoutSeconds).ToString());
    }
}

[CollectionDefinition(Name)]
public sealed class LimitedApiCollection : ICollectionFixture<LimitedApiFactory>
{
    public const string Name = "api-limited";
}
