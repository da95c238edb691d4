using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using AgentOrleans.Grains.Executions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

[Collection(DistributedCollection.Name)]
public sealed class PostgresOutageTests(DistributedFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task RunsStallWhilePostgresRestartsThenFinishWithNothingLost()
    {
        await using var cluster = await servers.StartClusterAsync(3, Membership.Tuned, output);
        var runs = cluster.Runs;
        var workflowId = await runs.PublishDelayChainAsync(delays: 8, duration: "750ms");
        var ids = await runs.StartManyAsync(workflowId, 10);
        var followers = ids.Select(runs.Follow).ToList();
        await SiloFailureTests.WaitAllRunningAsync(runs, ids);

        var restartedAt = DateTimeOffset.UtcNow;
        await DistributedFixture.ScriptAsync("postgres.sh", "restart");
        var restartTook = DateTimeOffset.UtcNow - restartedAt;

        var snapshots = await runs.WaitAllTerminalAsync(ids, TimeSpan.FromSeconds(90));
        await Task.WhenAll(followers.Select(f => f.Completion)).WaitAsync(TimeSpan.FromSeconds(30));
        var stall = TimeSpan.Zero;
        foreach (var id in ids)
        {
            Assert.True(snapshots[id].Status == ExecutionStatus.Succeeded, $"expected {id} succeeded after the PostgreSQL restart, saw {snapshots[id].Status} {snapshots[id].Error?.Type}: {snapshots[id].Error?.Message}");
            var log = await runs.EventsAsync(id);
            DistributedRuns.AssertCompleteLog(id, log, maxStartsPerNode: 2);
            stall = log.Zip(log.Skip(1), (a, b) => b.At - a.At).Append(stall).Max();
        }

        foreach (var follower in followers)
        {
            Assert.Equal((await runs.EventsAsync(follower.Id)).Select(e => e.Seq), follower.Events.Select(e => e.Seq));
        }

        var retries = cluster.Silos.Sum(s => CountLines(s.LogPath, "checkpoint failed"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PostgreSQL restart: the script took {restartTook.TotalSeconds:F1} s; longest pause between two events of one execution {stall.TotalSeconds:F1} s (a node takes 0.75 s); {retries} checkpoint writes retried"));
    }

    [Fact]
    public async Task TheApiAnswers503WithRetryAfterWhilePostgresIsDown()
    {
        await using var cluster = await servers.StartClusterAsync(1, Membership.Tuned, output);
        var workflowId = await cluster.Runs.PublishDelayChainAsync(delays: 1, duration: "10ms");
        await using var api = new ClientModeApi(servers, cluster.ClusterId);
        using var http = api.CreateClient();
        var healthy = await http.PostAsJsonAsync("/v1/executions", new { workflowId });
        Assert.True(healthy.StatusCode == HttpStatusCode.Accepted, $"expected 202 with PostgreSQL up, saw {(int)healthy.StatusCode}: {await healthy.Content.ReadAsStringAsync()}");

        await DistributedFixture.ScriptAsync("postgres.sh", "stop");
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var response = await http.PostAsJsonAsync("/v1/executions", new { workflowId });
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"expected 503 while PostgreSQL is down, saw {(int)response.StatusCode}: {body}");
                Assert.True(response.Headers.RetryAfter is not null, $"expected a Retry-After header on the 503, saw headers {response.Headers}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
        finally
        {
            await DistributedFixture.ScriptAsync("postgres.sh", "start");
        }
    }

    private static int CountLines(string path, string text)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd().Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
    }

    /// <summary>The Api as a pure cluster client (<c>Mode=Client</c>) of the test's silo processes.</summary>
    private sealed class ClientModeApi(DistributedFixture servers, string clusterId) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("AgentOrleans:Cluster:Mode", "Client");
            builder.UseSetting("AgentOrleans:Cluster:Clustering", "Redis");
            builder.UseSetting("AgentOrleans:Cluster:RedisConnectionString", servers.Redis);
            builder.UseSetting("AgentOrleans:Cluster:ClusterId", clusterId);
            builder.UseSetting("AgentOrleans:Cluster:ServiceId", clusterId);
            builder.UseSetting("AgentOrleans:Cluster:Membership:ResponseTimeout", "00:00:05");
        }
    }
}
