using System.Net;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Auth;

/// <summary>The raw key is never stored or logged: not in the configuration, not in any log line, at every level ASP.NET Core and AgentOrleans log at.</summary>
[Collection(AuthApiCollection.Name)]
public sealed class KeyLoggingTests(AuthApiFactory factory)
{
    [Fact]
    public async Task NoRawKeyAppearsInTheConfigurationOrInAnyLogLine()
    {
        foreach (var name in new[] { "all", "only_executions_read", "without_executions_read" })
        {
            using var http = factory.ClientWith(name);
            using var allowed = await http.GetAsync($"/v1/executions/{NewId("log")}");
            using var forbidden = await http.PostAsync("/v1/executions", null);
        }

        // A key one character off is refused: its failure is logged, the key is not.
        using var near = factory.CreateClient();
        var all = factory.Keys["all"];
        near.DefaultRequestHeaders.Authorization = new("Bearer", all[..^1] + (all[^1] == 'x' ? 'y' : 'x'));
        using var refused = await near.GetAsync($"/v1/executions/{NewId("log")}");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var lines = factory.Logs.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("Authentication is on", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("the API key is not known", StringComparison.Ordinal));
        var values = factory.Services.GetRequiredService<IConfiguration>().AsEnumerable().Select(p => p.Value).Where(v => v is not null).ToList();
        foreach (var key in factory.Keys.Values)
        {
            Assert.DoesNotContain(lines, l => l.Contains(key, StringComparison.Ordinal) || l.Contains(key[3..20], StringComparison.Ordinal));
            Assert.DoesNotContain(values, v => v!.Contains(key, StringComparison.Ordinal));
        }
    }
}
