using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Api;

/// <summary>
/// <c>?include=children</c> over real Kestrel: a parent's SSE and JSON reads carry its children's events (a
/// subworkflow with one of its own, and a map's items), tagged and each in its own seq order, and resume exactly.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ChildEventStreamTests(ApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    /// <summary>
    /// A parent of node <c>sub</c> (a subworkflow whose node <c>inner</c> runs a subworkflow) then node <c>fan</c> (a
    /// map of the leaf over three items); every leaf blocks <paramref name="blockMs"/>, so a client can join mid-run.
    /// </summary>
    private async Task<string> StartTreeAsync(int blockMs)
    {
        var leaf = await _api.PublishAsync(new JsonObject
        {
            ["a"] = Node("test.block", new JsonObject { ["ms"] = blockMs }),
            ["b"] = Node("test.block", new JsonObject { ["ms"] = blockMs }),
        });
        var middle = await _api.PublishAsync(new JsonObject { ["inner"] = Node("subworkflow", new JsonObject { ["workflowId"] = leaf }) });
        var parent = await _api.PublishAsync(new JsonObject
        {
            ["sub"] = Node("subworkflow", new JsonObject { ["workflowId"] = middle }),
            ["fan"] = Node("map", new JsonObject { ["items"] = "${{ input.items }}", ["workflowId"] = leaf, ["parallelism"] = 3 }),
        });
        return await _api.StartAsync(parent, new JsonObject { ["items"] = new JsonArray(1, 2, 3) });
    }

    /// <summary>The executions of the tree and their paths under the parent.</summary>
    private static Dictionary<string, string?> Tree(string id) => new()
    {
        [id] = null,
        [$"{id}:sub:1"] = "sub",
        [$"{id}:sub:1:inner:1"] = "sub/inner",
        [$"{id}:fan:1:0"] = "fan/0",
        [$"{id}:fan:1:1"] = "fan/1",
        [$"{id}:fan:1:2"] = "fan/2",
    };

    private async Task<HttpResponseMessage> OpenAsync(string id, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{id}/events?include=children");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        return await _api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>Every event of every execution of the tree, from each one's own log, once all have ended.</summary>
    private async Task<Dictionary<string, List<long>>> OwnLogsAsync(string id)
    {
        var logs = new Dictionary<string, List<long>>();
        foreach (var execution in Tree(id).Keys)
        {
            await _api.WaitTerminalAsync(execution);
            var page = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{execution}/events?limit=1000"));
            logs[execution] = page["events"]!.AsArray().Select(e => e!["seq"]!.GetValue<long>()).ToList();
        }

        return logs;
    }

    private static (string ExecutionId, long Seq, string? Path, string Type) Read(SseItem<string> item)
    {
        var data = JsonNode.Parse(item.Data)!;
        Assert.Equal(item.EventType, data["type"]!.GetValue<string>());
        return (data["executionId"]!.GetValue<string>(), data["seq"]!.GetValue<long>(), data["path"]?.GetValue<string>(), item.EventType);
    }

    private static void AssertWholeTree(string id, Dictionary<string, List<long>> logs, IEnumerable<(string ExecutionId, long Seq, string? Path, string Type)> events)
    {
        var seen = events.ToList();
        var tree = Tree(id);
        Assert.Equal(tree.Keys.Order(), seen.Select(e => e.ExecutionId).Distinct().Order());
        foreach (var (execution, seqs) in logs)
        {
            // Each execution's events in its own seq order, tagged with its path (none for the parent's own).
            Assert.Equal(seqs, seen.Where(e => e.ExecutionId == execution).Select(e => e.Seq));
            Assert.All(seen.Where(e => e.ExecutionId == execution), e => Assert.Equal(tree[execution], e.Path));
        }
    }

    [Fact]
    public async Task TheParentsStreamCarriesEveryChildsEventsTaggedWithExecutionIdAndPathAndEndsWhenAllHaveEnded()
    {
        var id = await StartTreeAsync(blockMs: 50);

        using var response = await OpenAsync(id);
        var items = await ApiClient.ReadEventsAsync(response);
        var events = items.Select(Read).ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertWholeTree(id, await OwnLogsAsync(id), events);

        // Each child is announced in its parent's events before any of its own.
        var announcements = items.Select((item, i) => (Index: i, Data: JsonNode.Parse(item.Data)!))
            .Where(a => a.Data["type"]!.GetValue<string>() == EventTypes.ChildStarted)
            .ToDictionary(a => a.Data["data"]!["executionId"]!.GetValue<string>(), a => a.Index);
        foreach (var child in Tree(id).Keys.Where(c => c != id))
        {
            Assert.True(announcements[child] < events.FindIndex(e => e.ExecutionId == child), $"{child} is not announced before its events");
        }

        // The stream ended once the parent and every child had delivered their terminal events; no child was open then.
        Assert.Equal(Tree(id).Count, events.Count(e => EventTypes.IsTerminal(e.Type)));
        Assert.True(EventTypes.IsTerminal(events[^1].Type));
        Assert.Equal(events.Last(e => e.ExecutionId == id).Seq.ToString(CultureInfo.InvariantCulture), items[^1].EventId);
    }

    [Fact]
    public async Task ChildrensEventsInTheParentsStreamSurviveReconnectsExactlyOnce()
    {
        var id = await StartTreeAsync(blockMs: 150);

        // Drop the connection every few events while the tree runs, and resume with the last id, as EventSource does.
        var seen = new List<(string ExecutionId, long Seq, string? Path, string Type)>();
        var ids = new List<string>();
        string? last = null;
        for (var connection = 0; connection < 100; connection++)
        {
            using var response = await OpenAsync(id, last);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var items = await ApiClient.ReadEventsAsync(response, stopAfter: 5);
            seen.AddRange(items.Select(Read));
            ids.AddRange(items.Select(i => i.EventId!));
            if (items.Count < 5)
            {
                break;
            }

            last = items[^1].EventId;
        }

        var counts = seen.GroupBy(e => (e.ExecutionId, e.Seq)).Where(g => g.Count() > 1).Select(g => $"{g.Key.ExecutionId} #{g.Key.Seq} x{g.Count()}");
        Assert.Empty(counts);
        AssertWholeTree(id, await OwnLogsAsync(id), seen);
        Assert.Contains(ids, i => i.StartsWith("c1.", StringComparison.Ordinal));
        Assert.True(EventTypes.IsTerminal(seen[^1].Type));
    }

    [Fact]
    public async Task AClientThatCameBackAfterTheRunGetsTheRestOnceAndAnEndedStreamGetsNothing()
    {
        var id = await StartTreeAsync(blockMs: 1);
        using var first = await OpenAsync(id);
        var items = await ApiClient.ReadEventsAsync(first);
        var logs = await OwnLogsAsync(id);

        // From a position naming open children, after everything has ended.
        var middle = items.FindLastIndex(i => i.EventId!.StartsWith("c1.", StringComparison.Ordinal) && items.IndexOf(i) < items.Count / 2);
        using var resumed = await OpenAsync(id, items[middle].EventId);
        var rest = await ApiClient.ReadEventsAsync(resumed);
        using var ended = await OpenAsync(id, items[^1].EventId);

        AssertWholeTree(id, logs, items.Take(middle + 1).Concat(rest).Select(Read));
        Assert.Empty(await ApiClient.ReadEventsAsync(ended));
    }

    [Fact]
    public async Task TheJsonReadPagesThroughTheSameTaggedEventsWithNext()
    {
        var id = await StartTreeAsync(blockMs: 1);
        var logs = await OwnLogsAsync(id);

        var events = new List<(string ExecutionId, long Seq, string? Path, string Type)>();
        string? next = null;
        var pages = 0;
        JsonNode page;
        do
        {
            var response = await _api.Http.GetAsync($"/v1/executions/{id}/events?include=children&limit=4{(next is null ? "" : $"&after={Uri.EscapeDataString(next)}")}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            page = await ApiClient.JsonAsync(response);
            var batch = page["events"]!.AsArray();
            Assert.InRange(batch.Count, 0, 4);
            events.AddRange(batch.Select(e => (e!["executionId"]!.GetValue<string>(), e["seq"]!.GetValue<long>(), e["path"]?.GetValue<string>(), e["type"]!.GetValue<string>())));
            next = page["next"]!.GetValue<string>();
            pages++;
        }
        while (!page["terminal"]!.GetValue<bool>() && pages < 100);

        AssertWholeTree(id, logs, events);
        Assert.Equal(logs[id][^1].ToString(CultureInfo.InvariantCulture), next);
        Assert.Empty(page["trimmed"]!.AsArray());

        var all = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{id}/events?include=children&limit=1000"));
        Assert.True(all["terminal"]!.GetValue<bool>());
        Assert.Equal(events.Select(e => (e.ExecutionId, e.Seq)).Order(), all["events"]!.AsArray().Select(e => (e!["executionId"]!.GetValue<string>(), e["seq"]!.GetValue<long>())).Order());
    }

    [Fact]
    public async Task WithoutIncludeChildrenTheParentsReadIsItsOwnLogWhichAnnouncesEachChild()
    {
        var id = await StartTreeAsync(blockMs: 1);
        await _api.WaitTerminalAsync(id);

        using var response = await _api.OpenEventStreamAsync(id);
        var items = await ApiClient.ReadEventsAsync(response);
        var page = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{id}/events?limit=1000"));

        Assert.All(items, i => Assert.Equal(id, JsonNode.Parse(i.Data)!["executionId"]!.GetValue<string>()));
        Assert.All(items, i => Assert.Null(JsonNode.Parse(i.Data)!["path"]));
        Assert.Equal(Enumerable.Range(1, items.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), items.Select(i => i.EventId));
        var announced = items.Where(i => i.EventType == EventTypes.ChildStarted).Select(i => JsonNode.Parse(i.Data)!).ToList();
        Assert.Equal(
            Tree(id).Where(c => c.Value is not null && !c.Value.Contains("inner", StringComparison.Ordinal)).Select(c => (c.Key, c.Value!)).Order(),
            announced.Select(a => (a["data"]!["executionId"]!.GetValue<string>(), a["data"]!["path"]!.GetValue<string>())).Order());
        Assert.Equal(items.Count, page["next"]!.GetValue<long>());
    }

    [Fact]
    public async Task WhileAChildRunsQuietlyTheStreamStaysOpenWithHeartbeatsAfterTheChildsLiveEvents()
    {
        var leaf = await _api.PublishAsync(new JsonObject { ["quiet"] = Node("test.block") });
        var id = await _api.StartAsync(await _api.PublishAsync(new JsonObject { ["call"] = Node("subworkflow", new JsonObject { ["workflowId"] = leaf }) }));

        using var response = await OpenAsync(id);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<string>();
        var until = DateTime.UtcNow + Deadline;
        string? line;
        do
        {
            line = await reader.ReadLineAsync().WaitAsync(Deadline);
            lines.Add(line ?? "");
        }
        while (line is not null && !(line == ": heartbeat" && lines.Any(l => l.Contains("\"path\":\"call\"", StringComparison.Ordinal) && l.Contains("node.started", StringComparison.Ordinal))) && DateTime.UtcNow < until);

        Assert.Equal(": heartbeat", line);
        await _api.Http.PostAsync($"/v1/executions/{id}/cancel", null);
    }

    [Theory]
    [InlineData("c1.!!!")]
    [InlineData("c1.WzEsWyJ4Il1d")]
    [InlineData("seven")]
    [InlineData("-3")]
    public async Task AMalformedMergedIdIsABadRequest(string lastEventId)
    {
        var id = await _api.StartAsync(await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") }));

        using var stream = await OpenAsync(id, lastEventId);
        var page = await _api.Http.GetAsync($"/v1/executions/{id}/events?include=children&after={Uri.EscapeDataString(lastEventId)}");

        Assert.Equal(HttpStatusCode.BadRequest, stream.StatusCode);
        Assert.Equal(["/Last-Event-ID"], await ApiClient.ProblemPointersAsync(stream));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal(["/after"], await ApiClient.ProblemPointersAsync(page));
    }

    [Fact]
    public async Task AMergedIdWithoutIncludeChildrenAnUnknownIncludeAndAnOverlongIdAreBadRequests()
    {
        var id = await _api.StartAsync(await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") }));

        var merged = await _api.Http.GetAsync($"/v1/executions/{id}/events?after=c1.WzFd");
        var include = await _api.Http.GetAsync($"/v1/executions/{id}/events?include=parents");
        var overlong = await _api.Http.GetAsync($"/v1/executions/{id}/events?include=children&after=c1.{new string('A', 4100)}");
        var missing = await _api.Http.GetAsync($"/v1/executions/{NewId("ex")}/events?include=children");

        Assert.Equal(["/after"], await ApiClient.ProblemPointersAsync(merged));
        Assert.Equal(["/include"], await ApiClient.ProblemPointersAsync(include));
        Assert.Equal(["/after"], await ApiClient.ProblemPointersAsync(overlong));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
