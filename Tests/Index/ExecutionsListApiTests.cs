using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Index;

/// <summary><c>GET /v1/executions</c> on the embedded default: each filter, pages across concurrent starts, bad queries, labels on start.</summary>
[Collection(ApiCollection.Name)]
public sealed class ExecutionsListApiTests(ApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    private async Task<string> StartAsync(string workflowId, JsonObject? labels = null)
    {
        var response = await _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflowId, ["labels"] = labels }.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await ApiClient.JsonAsync(response))["id"]!.GetValue<string>();
    }

    private async Task<JsonNode> ListAsync(string query)
    {
        var response = await _api.Http.GetAsync($"/v1/executions?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ApiClient.JsonAsync(response);
    }

    private static List<string> Ids(JsonNode page) => [.. page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];

    /// <summary>Polls until the listing shows exactly <paramref name="expected"/> (the index is written just after each checkpoint).</summary>
    private async Task<List<string>> ListedAsync(string query, IEnumerable<string> expected)
    {
        var want = expected.ToHashSet();
        return await Polling.UntilAsync(async () => Ids(await ListAsync(query)), ids => ids.ToHashSet().SetEquals(want), Deadline, TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task EachFilterListsItsExecutionsNewestFirst()
    {
        var quick = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var slow = await _api.PublishAsync(new JsonObject { ["wait"] = Node("delay", new JsonObject { ["duration"] = "1h" }) });
        var tag = NewId("tag");
        var first = await StartAsync(quick, new JsonObject { ["run"] = tag, ["team"] = "search" });
        var second = await StartAsync(quick, new JsonObject { ["run"] = tag, ["team"] = "ads" });
        var waiting = await StartAsync(slow, new JsonObject { ["run"] = tag });
        await _api.WaitTerminalAsync(first);
        await _api.WaitTerminalAsync(second);

        var byLabel = await ListedAsync($"label=run:{tag}", [first, second, waiting]);
        Assert.Equal([waiting, second, first], byLabel); // newest first
        Assert.Equal([first], await ListedAsync($"label=run:{tag}&label=team:search", [first]));
        Assert.Equal([second, first], await ListedAsync($"label=run:{tag}&status=succeeded", [first, second]));
        Assert.Equal([waiting], await ListedAsync($"label=run:{tag}&status=running", [waiting]));
        Assert.Equal([waiting], await ListedAsync($"workflowId={slow}", [waiting]));

        var created = await ListAsync($"label=run:{tag}");
        var secondAt = created["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == second)!["createdAt"]!.GetValue<DateTimeOffset>();
        Assert.DoesNotContain(first, await ListedAsync($"label=run:{tag}&createdAfter={Uri.EscapeDataString(secondAt.ToString("O"))}", [second, waiting]));
        Assert.Equal([first], await ListedAsync($"label=run:{tag}&createdBefore={Uri.EscapeDataString(secondAt.ToString("O"))}", [first]));

        var item = created["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == first)!;
        Assert.Equal(quick, item["workflowId"]!.GetValue<string>());
        Assert.Equal("search", item["labels"]!["team"]!.GetValue<string>());
        Assert.NotNull(item["expiresAt"]);
        Assert.Equal($"/v1/executions/{first}", item["links"]!["self"]!.GetValue<string>());
        await _api.PostJsonAsync($"/v1/executions/{waiting}/cancel", "{}");
    }

    [Fact]
    public async Task ParentAndScheduleFilterTheirChildrenAndFires()
    {
        var child = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var parentWf = await _api.PublishAsync(new JsonObject { ["spawn"] = Node("subworkflow", new JsonObject { ["workflowId"] = child }) });
        var parent = await StartAsync(parentWf);
        await _api.WaitTerminalAsync(parent);

        var children = await Polling.UntilAsync(async () => Ids(await ListAsync($"parent={parent}")), ids => ids.Count == 1, Deadline, TimeSpan.FromMilliseconds(50));
        var listed = await ListAsync($"workflowId={child}");
        Assert.Equal(children, Ids(listed));
        Assert.Equal(parent, listed["items"]![0]!["parent"]!.GetValue<string>());

        var schedule = NewId("sched");
        var put = await _api.PutJsonAsync($"/v1/schedules/{schedule}", new JsonObject { ["workflowId"] = child, ["every"] = "1s" }.ToJsonString());
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var fired = await Polling.UntilAsync(async () => await ListAsync($"schedule={schedule}"), page => Ids(page).Count >= 1, Deadline, TimeSpan.FromMilliseconds(100));
        await _api.Http.DeleteAsync($"/v1/schedules/{schedule}");
        Assert.All(fired["items"]!.AsArray(), i => Assert.Equal(schedule, i!["schedule"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PagesAcrossConcurrentStartsShowEveryEarlierRunOnce()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var tag = NewId("page");
        var before = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            before.Add(await StartAsync(workflowId, new JsonObject { ["run"] = tag }));
        }

        await ListedAsync($"label=run:{tag}", before);
        using var stop = new CancellationTokenSource();
        var during = new List<string>();
        var inserting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                during.Add(await StartAsync(workflowId, new JsonObject { ["run"] = tag }));
            }
        });

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ListAsync($"label=run:{tag}&limit=4" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(Ids(page));
            cursor = page["nextCursor"]?.GetValue<string>();
            Assert.True(Ids(page).Count <= 4);
        }
        while (cursor is not null);

        await stop.CancelAsync();
        await inserting;
        Assert.Equal(seen.Count, seen.Distinct().Count()); // none twice
        Assert.Empty(before.Except(seen)); // none of the earlier ones skipped
        Assert.NotEmpty(during);
    }

    [Theory]
    [InlineData("colour=red&size=9", "/colour", "/size")]
    [InlineData("status=finished&limit=0", "/status", "/limit")]
    [InlineData("limit=501&cursor=bm9wZQ", "/limit", "/cursor")]
    [InlineData("createdAfter=2026-12-02T00:00:00Z&createdBefore=2026-12-01T00:00:00Z", "/createdBefore")]
    [InlineData("createdAfter=yesterday&label=nocolon&parent=a/b", "/createdAfter", "/label", "/parent")]
    public async Task ABadQueryIs400ListingEveryProblem(string query, params string[] pointers)
    {
        var response = await _api.Http.GetAsync($"/v1/executions?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ApiClient.JsonAsync(response))["errors"]!.AsArray().Select(e => e!["pointer"]!.GetValue<string>()).ToList();
        Assert.Equal(pointers.Order(StringComparer.Ordinal), errors.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LabelsOnStartAreBoundedAndCheckedWithPointers()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var labels = new JsonObject { ["ok"] = "fine", ["bad key!"] = "x", ["number"] = 3, ["long"] = new string('v', 257) };
        for (var i = 0; i < 14; i++)
        {
            labels[$"k{i}"] = "v";
        }

        var response = await _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflowId, ["labels"] = labels }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ApiClient.JsonAsync(response))["errors"]!.AsArray().Select(e => e!["pointer"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(["/labels", "/labels/bad key!", "/labels/long", "/labels/number"], errors.Order(StringComparer.Ordinal));
        var notObject = await _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflowId, ["labels"] = "team=x" }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, notObject.StatusCode);
    }

    [Fact]
    public async Task WorkflowsAreListedByIdWithTheirLatestVersionAPageAtATime()
    {
        var id = NewId("catalog");
        foreach (var (suffix, description) in new[] { ("a", "first"), ("b", "second"), ("c", "third") })
        {
            var definition = new JsonObject { ["id"] = $"{id}-{suffix}", ["description"] = description, ["start"] = "a", ["nodes"] = new JsonObject { ["a"] = Node("test.count") } };
            Assert.Equal(HttpStatusCode.Created, (await _api.PutJsonAsync($"/v1/workflows/{id}-{suffix}", definition.ToJsonString())).StatusCode);
        }

        var changed = new JsonObject { ["id"] = $"{id}-b", ["description"] = "second, again", ["start"] = "a", ["nodes"] = new JsonObject { ["a"] = Node("test.block", new JsonObject { ["ms"] = 1 }) } };
        Assert.Equal(HttpStatusCode.Created, (await _api.PutJsonAsync($"/v1/workflows/{id}-b", changed.ToJsonString())).StatusCode);

        var all = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var response = await _api.Http.GetAsync("/v1/workflows?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await ApiClient.JsonAsync(response);
            all.AddRange(page["items"]!.AsArray().Select(i => i!));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        var mine = all.Where(w => w["id"]!.GetValue<string>().StartsWith(id, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"{id}-a", $"{id}-b", $"{id}-c"], mine.Select(w => w["id"]!.GetValue<string>()));
        Assert.Equal(2, mine[1]["latestVersion"]!.GetValue<int>());
        Assert.Equal("second, again", mine[1]["description"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.Http.GetAsync("/v1/workflows?limit=9999&page=2")).StatusCode);
    }
}
