using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Steps.BuiltIn;
using AgentOrleans.Grains.Telemetry;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Telemetry;

/// <summary>The http step's circuit breaker, through the services a silo registers, against a real local server.</summary>
public sealed class BreakerStateTests(LocalHttpServer server) : IClassFixture<LocalHttpServer>
{
    [Fact]
    public async Task TheBreakerGaugeShowsTheCircuitOpeningOnFailuresAndClosingOnRecovery()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentOrleans:Http:BreakerMinimumThroughput"] = "4",
            ["AgentOrleans:Http:BreakerBreakDuration"] = "00:00:00.500",
            ["AgentOrleans:Http:AllowPrivateNetworks"] = "true",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddAgentOrleansGrainServices(configuration).BuildServiceProvider();
        var metrics = services.GetRequiredService<AgentOrleansMetrics>();
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpStep.ClientName);
        var authority = new Uri(server.BaseUrl).Authority;
        var url = $"{server.BaseUrl}/flaky/{NewId("k")}/6";

        var seen = new List<string>();
        var until = DateTime.UtcNow + Deadline;
        while (metrics.Breakers.GetValueOrDefault(authority, -1) != (int)BreakerState.Open && DateTime.UtcNow < until)
        {
            seen.Add(await TryGetAsync(http, url));
        }

        Assert.True(metrics.Breakers.GetValueOrDefault(authority, -1) == (int)BreakerState.Open, $"expected the breaker to open; responses {string.Join(", ", seen)}");

        seen.Clear();
        while (metrics.Breakers[authority] != (int)BreakerState.Closed && DateTime.UtcNow < until)
        {
            seen.Add(await TryGetAsync(http, url));
        }

        Assert.True(metrics.Breakers[authority] == (int)BreakerState.Closed, $"expected the breaker to close after recovery; responses {string.Join(", ", seen)}");
        Assert.Contains("200", seen);
    }

    private static async Task<string> TryGetAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is Polly.CircuitBreaker.BrokenCircuitException or HttpRequestException)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            return ex.GetType().Name;
        }
    }
}
