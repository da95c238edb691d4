using System.Net;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Tests.Distributed;
using AgentOrleans.Tests.Infrastructure;

namespace AgentOrleans.Tests.Hosting;

/// <summary>
/// The real Silo process: bound beyond loopback without authentication it refuses to start, naming the setting;
/// with a key configured it starts, and its <c>/metrics</c> and dashboard need the admin scope (health does not).
/// </summary>
public sealed class SiloAuthTests
{
    private static readonly Dictionary<string, string> SingleSilo = new()
    {
        ["AgentOrleans__Cluster__Clustering"] = "Localhost",
        ["AgentOrleans__Cluster__Storage"] = "Memory",
        ["AgentOrleans__Cluster__Reminders"] = "Memory",
    };

    [Fact]
    public async Task ASiloBoundBeyondLoopbackWithoutAuthenticationStopsAtStartNamingTheSetting()
    {
        var silo = SiloProcess.Start(new Dictionary<string, string>(SingleSilo) { ["Kestrel__Endpoints__Public__Url"] = "http://0.0.0.0:0" });

        Assert.True(await silo.WaitForExitAsync(Runs.Deadline), "the silo kept running");
        var log = await File.ReadAllTextAsync(silo.LogPath);
        Assert.Contains(ListenAddressGuard.AllowAnonymousKey, log, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAKeyASiloStartsAnywhereAndItsMetricsAndDashboardNeedAdmin()
    {
        var admin = ApiKeys.New();
        var reader = ApiKeys.New();
        var silo = SiloProcess.Start(new Dictionary<string, string>(SingleSilo)
        {
            ["AgentOrleans__Auth__Keys__ops__Hash"] = ApiKeys.HashHex(admin),
            ["AgentOrleans__Auth__Keys__ops__Scopes"] = "admin",
            ["AgentOrleans__Auth__Keys__reader__Hash"] = ApiKeys.HashHex(reader),
            ["AgentOrleans__Auth__Keys__reader__Scopes"] = "executions:read,workflows:write",
        });
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.HttpPort}") };
            var up = await Polling.UntilAsync(
                async () =>
                {
                    try
                    {
                        using var health = await http.GetAsync("/healthz");
                        return health.StatusCode == HttpStatusCode.OK;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(60),
                TimeSpan.FromMilliseconds(200));
            Assert.True(up, $"the silo did not answer /healthz: {await File.ReadAllTextAsync(silo.LogPath)}");

            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "/metrics", null));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(http, "/metrics", reader));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/metrics", admin));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "/dashboard/", null));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(http, "/dashboard/", reader));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/dashboard/", admin));
        }
        finally
        {
            silo.Kill();
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
