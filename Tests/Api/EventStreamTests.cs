using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Api;

/// <summary>Server-Sent Events over real Kestrel: format, exact resume, fan-out and slow clients.</summary>
[Collection(ApiCollection.Name)]
public sealed class EventStreamTests(ApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    private async Task<string> PublishStepsAsync(int count, int blockMs = 50)
    {
        var nodes = new JsonObject();
        for (var i = 0; i < count; i++)
        {
            nodes[$"n{i}"] = Node("test.block", new JsonObject { ["ms"] = blockMs });
        }

        return await _api.PublishAsync(nodes);
    }

    [Fact]
    public async Task TheStreamCarriesIdTypeAndJsonAndEndsAfterTheTerminalEvent()
    {
        var workflowId = await PublishStepsAsync(2);
        var id = await _api.StartAsync(workflowId);

        using var response = await _api.OpenEventStreamAsync(id);
        var items = await ApiClient.ReadEventsAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.Equal(Enumerable.Range(1, 7).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), items.Select(i => i.EventId));
        Assert.Equal("execution.completed", items[^1].EventType);
        foreach (var item in items)
        {
            var data = JsonNode.Parse(item.Data)!;
            Assert.Equal(item.EventType, data["type"]!.GetValue<string>());
            Assert.Equal(item.EventId, data["seq"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task AClientThatDropsMidRunAndResumesWithLastEventIdGetsEveryEventExactlyOnce()
    {
        var workflowId = await PublishStepsAsync(6, blockMs: 150);
        var id = await _api.StartAsync(workflowId);

        var seen = new List<string>();
        using (var first = await _api.OpenEventStreamAsync(id))
        {
            seen.AddRange((await ApiClient.ReadEventsAsync(first, stopAfter: 5)).Select(i => i.EventId!));
        }

        // The connection is gone; the run goes on. Resume from the last id seen, as EventSource does.
        using var resumed = await _api.OpenEventStreamAsync(id, long.Parse(seen[^1], System.Globalization.CultureInfo.InvariantCulture));
        var rest = await ApiClient.ReadEventsAsync(resumed);
        seen.AddRange(rest.Select(i => i.EventId!));

        var all = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{id}/events?limit=1000"));
        var expected = all["events"]!.AsArray().Select(e => e!["seq"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(expected, seen);
        Assert.Equal("execution.completed", rest[^1].EventType);
    }

    [Fact]
    public async Task AClientConnectingAfterTheRunGetsTheWholeRetainedSequence()
    {
        var workflowId = await PublishStepsAsync(1);
        var id = await _api.StartAsync(workflowId);
        await _api.WaitTerminalAsync(id);

        using var response = await _api.OpenEventStreamAsync(id);
        var items = await ApiClient.ReadEventsAsync(response);
        using var afterAll = await _api.OpenEventStreamAsync(id, lastEventId: 5);

        Assert.Equal(["1", "2", "3", "4", "5"], items.Select(i => i.EventId));
        Assert.Empty(await ApiClient.ReadEventsAsync(afterAll));
    }

    [Fact]
    public async Task AHeartbeatCommentKeepsAQuietStreamAlive()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["quiet"] = Node("test.block") });
        var id = await _api.StartAsync(workflowId);

        using var response = await _api.OpenEventStreamAsync(id);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var until = DateTime.UtcNow + Deadline;
        string? line;
        do
        {
            line = await reader.ReadLineAsync().WaitAsync(Deadline);
        }
        while (line is not null && line != ": heartbeat" && DateTime.UtcNow < until);

        Assert.Equal(": heartbeat", line);
        await _api.Http.PostAsync($"/v1/executions/{id}/cancel", null);
    }

    [Fact]
    public async Task AHundredConcurrentClientsEachReceiveTheWholeSequence()
    {
        var workflowId = await PublishStepsAsync(5, blockMs: 100);
        var id = await _api.StartAsync(workflowId);

        var clients = Enumerable.Range(0, 100).Select(async _ =>
        {
            using var response = await _api.OpenEventStreamAsync(id);
            return (await ApiClient.ReadEventsAsync(response)).Select(i => i.EventId!).ToList();
        });
        var results = await Task.WhenAll(clients);

        var expected = Enumerable.Range(1, 13).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(results, seen => Assert.Equal(expected, seen));
    }

    [Fact]
    public async Task AStalledClientDoesNotDelayTheRunAndCanResumeExactly()
    {
        // ~2 MB of progress events that the attached client never reads while the run goes on.
        var workflowId = await _api.PublishAsync(new JsonObject { ["talk"] = Node("test.progress", new JsonObject { ["chunks"] = 1000, ["pad"] = 2000 }) });
        var id = await _api.StartAsync(workflowId);
        using var stalled = await _api.OpenEventStreamAsync(id);

        var watch = Stopwatch.StartNew();
        var done = await _api.WaitTerminalAsync(id);
        var runTook = watch.Elapsed;

        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.True(runTook < TimeSpan.FromSeconds(15), $"the run took {runTook} with a stalled client attached");

        // Whatever reached the stalled client (all, or a prefix if it was cut off) plus a resume is the whole sequence once.
        var partial = await ReadUntilCutAsync(stalled);
        using var resumed = await _api.OpenEventStreamAsync(id, partial.Count == 0 ? 0 : partial[^1]);
        var rest = (await ApiClient.ReadEventsAsync(resumed)).Select(i => long.Parse(i.EventId!, System.Globalization.CultureInfo.InvariantCulture));
        var all = partial.Concat(rest).ToList();
        Assert.Equal(Enumerable.Range(1, (int)done["lastSeq"]!.GetValue<long>()).Select(i => (long)i), all);
    }

    private static async Task<List<long>> ReadUntilCutAsync(HttpResponseMessage response)
    {
        var seqs = new List<long>();
        try
        {
            foreach (var item in await ApiClient.ReadEventsAsync(response))
            {
                seqs.Add(long.Parse(item.EventId!, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The server aborted the connection, as it should for a client this far behind.
        }

        return seqs;
    }
}
