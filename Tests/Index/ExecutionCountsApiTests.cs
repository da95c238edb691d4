using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Client.Http;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Index;

/// <summary>
/// <c>GET /v1/executions/counts</c> on the embedded default, through the typed client: every status named, the
/// listing's filters applied, bad queries refused with pointers, and <c>/v1/executions/{id}</c> still an execution.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ExecutionCountsApiTests(ApiFactory factory)
{
    private readonly AgentOrleansClient _client = new(factory.CreateClient());
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task TheCountsGiveEveryStatusUnderTheListingsFilters()
    {
        var quick = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var slow = await _api.PublishAsync(new JsonObject { ["wait"] = Node("delay", new JsonObject { ["duration"] = "1h" }) });
        var tag = NewId("count");
        var labels = new Dictionary<string, string> { ["run"] = tag };
        var done = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            done.Add((await _client.StartAsync(new StartRequest(quick) { Labels = labels })).Id);
        }

        var held = (await _client.StartAsync(new StartRequest(slow) { Labels = labels })).Id;
        foreach (var id in done)
        {
            await _client.WaitAsync(id, new CancellationTokenSource(Deadline).Token);
        }

        var filter = new ExecutionFilter { Labels = labels };
        var counts = await Polling.UntilAsync(
            () => _client.CountExecutionsAsync(filter),
            c => c.Counts["succeeded"] == 2 && c.Counts["running"] == 1,
            Deadline,
            TimeSpan.FromMilliseconds(50));
        var ofSlow = await _client.CountExecutionsAsync(filter with { WorkflowId = slow });
        var none = await _client.CountExecutionsAsync(filter with { CreatedBefore = DateTimeOffset.UtcNow.AddDays(-1) });
        await _client.CancelAsync(held);

        Assert.Equal(3, counts.Total);
        Assert.Equal(["cancelled", "failed", "paused", "queued", "running", "scheduled", "succeeded", "timed_out", "waiting"], counts.Counts.Keys.Order(StringComparer.Ordinal));
        Assert.All(counts.Counts.Where(c => c.Key is not ("succeeded" or "running")), c => Assert.Equal(0, c.Value));
        Assert.Equal(1, ofSlow.Total);
        Assert.Equal(1, ofSlow.Counts["running"]);
        Assert.Equal(0, none.Total);
    }

    [Theory]
    [InlineData("status=running", "/status")]
    [InlineData("cursor=x&limit=5", "/cursor", "/limit")]
    [InlineData("colour=red&createdAfter=yesterday", "/colour", "/createdAfter")]
    [InlineData("label=nocolon&parent=a/b", "/label", "/parent")]
    public async Task ABadCountQueryIs400ListingEveryProblem(string query, params string[] pointers)
    {
        using var response = await _api.Http.GetAsync($"/v1/executions/counts?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(pointers.Order(StringComparer.Ordinal), (await ApiClient.ProblemPointersAsync(response)).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheTypedClientSurfacesARefusedCountWithItsPointer()
    {
        var refused = await Assert.ThrowsAsync<AgentOrleansProblemException>(() => _client.CountExecutionsAsync(new ExecutionFilter { Statuses = ["running"] }));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains(refused.Errors, e => e.Pointer == "/status");
    }

    [Fact]
    public async Task TheCountsRouteLeavesAnExecutionsOwnRoutesAlone()
    {
        var workflow = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var id = (await _client.StartAsync(new StartRequest(workflow))).Id;

        var execution = await _client.WaitAsync(id, new CancellationTokenSource(Deadline).Token);
        using var countsEvents = await _api.Http.GetAsync("/v1/executions/counts/events");

        Assert.Equal(id, execution.Id);
        Assert.Equal("succeeded", execution.Status);
        // Below /counts the path is an execution's again: no execution is named "counts".
        Assert.Equal(HttpStatusCode.NotFound, countsEvents.StatusCode);
    }
}
