namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// The embedded Api for tests that scrape <c>/metrics</c>, alone in the process. OpenTelemetry
/// subscribes to meters by name, so a host's exporter also picks up the "AgentOrleans" meter of any
/// other host in the test process; when that host is disposed its instruments complete and take
/// the exported series with them (seen: every agentorleans_ series missing once the limited Api's
/// collection had finished). A collection that runs after all others have ended avoids it.
/// </summary>
public sealed class MetricsApiFactory : ApiFactory
{
    protected override int PortSuffix => 413;
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsApiCollection : ICollectionFixture<MetricsApiFactory>
{
    public const string Name = "metrics-api";
}
