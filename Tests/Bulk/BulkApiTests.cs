using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Bulk;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Bulk;

/// <summary><c>POST /v1/executions:cancel</c> and <c>:rerun</c>: a bulk operation over the list filter, its progress, idempotency and refusals.</summary>
[Collection(ApiCollection.Name)]
public sealed class BulkApiTests(ApiFactory factory)
{
    private static readonly TimeSpan BulkDeadline = TimeSpan.FromSeconds(60);

    private readonly ApiClient _api = new(factory.CreateClient());

    private async Task<string> StartLabelledAsync(string workflowId, string batch, JsonNode? input = null)
    {
        var response = await _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflowId, ["input"] = input, ["labels"] = new JsonObject { ["batch"] = batch } }.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await ApiClient.JsonAsync(response))["id"]!.GetValue<string>();
    }

    private async Task<List<JsonNode>> ListAsync(string query)
    {
        var items = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var page = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions?{query}&limit=500{(cursor is null ? "" : $"&cursor={cursor}")}"));
            items.AddRange(page["items"]!.AsArray().Select(i => i!));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return items;
    }

    private async Task<int> ListedEventuallyAsync(string query, int expected)
    {
        var seen = await Polling.UntilAsync(() => ListAsync(query), items => items.Count == expected, BulkDeadline, TimeSpan.FromMilliseconds(100));
        return seen.Count;
    }

    private async Task<JsonNode> CompletedAsync(string operationId) =>
        await Polling.UntilAsync(
            async () => await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/bulk/{operationId}")),
            p => p["status"]?.GetValue<string>() == "completed",
            BulkDeadline,
            TimeSpan.FromMilliseconds(100));

    private static (long Matched, long Done, long Skipped, long Failed) Counts(JsonNode p) =>
        (p["matched"]!.GetValue<long>(), p["done"]!.GetValue<long>(), p["skipped"]!.GetValue<long>(), p["failed"]!.GetValue<long>());

    [Fact]
    public async Task ABulkCancelOf500RunsCancelsEachOnceAndItsProgressReachesMatchedEqualsDone()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["busy"] = Node("test.block") });
        var batch = NewId("batch");
        await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, _) => await StartLabelledAsync(workflowId, batch));
        Assert.Equal(500, await ListedEventuallyAsync($"label=batch:{batch}&status=running", 500));
        var key = NewId("bulk-key");

        var response = await _api.PostJsonAsync($"/v1/executions:cancel?label=batch:{batch}&status=running", """{"reason": "bulk test"}""", key);
        var repeated = await _api.PostJsonAsync($"/v1/executions:cancel?label=batch:{batch}&status=running", """{"reason": "bulk test"}""", key);
        var conflicting = await _api.PostJsonAsync($"/v1/executions:cancel?label=batch:{batch}", """{"reason": "bulk test"}""", key);
        var accepted = await ApiClient.JsonAsync(response);
        var operationId = accepted["id"]!.GetValue<string>();
        var done = await CompletedAsync(operationId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/v1/bulk/{operationId}", response.Headers.Location?.OriginalString);
        Assert.Equal(("cancel", "bulk test"), (accepted["action"]!.GetValue<string>(), accepted["reason"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Accepted, repeated.StatusCode);
        Assert.Equal(operationId, (await ApiClient.JsonAsync(repeated))["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, conflicting.StatusCode);
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal((500L, 500L, 0L, 0L), Counts(done));
        Assert.Equal(500, await ListedEventuallyAsync($"label=batch:{batch}&status=cancelled", 500));
    }

    [Fact]
    public async Task ABulkReRunOfFailedRunsReRunsEachFromItsFailedNodeOnceAndNotItsOwnReRuns()
    {
        var workflowId = await _api.PublishAsync(new JsonObject
        {
            ["a"] = Node("test.count"),
            ["flaky"] = Node("test.flaky", new JsonObject { ["failures"] = "${{ input.failures }}" }),
        });
        var batch = NewId("batch");
        var failed = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            failed.Add(await StartLabelledAsync(workflowId, batch, new JsonObject { ["failures"] = 1 }));
        }

        var succeeded = await StartLabelledAsync(workflowId, batch, new JsonObject { ["failures"] = 0 });
        foreach (var id in failed.Append(succeeded))
        {
            await _api.WaitTerminalAsync(id);
        }

        Assert.Equal(5, await ListedEventuallyAsync($"label=batch:{batch}&status=failed", 5));

        var response = await _api.PostJsonAsync($"/v1/executions:rerun?label=batch:{batch}&status=failed", "{}");
        var operationId = (await ApiClient.JsonAsync(response))["id"]!.GetValue<string>();
        var done = await CompletedAsync(operationId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal((5L, 5L, 0L, 0L), Counts(done));
        foreach (var original in failed)
        {
            // The same input fails the same way: each re-run fails again, matches the filter, and is not taken up again.
            var rerun = await _api.WaitTerminalAsync(BulkActions.RerunId(operationId, original));
            Assert.Equal((original, "flaky", "failed"), (rerun["rerunOf"]!.GetValue<string>(), rerun["rerunFrom"]!.GetValue<string>(), rerun["status"]!.GetValue<string>()));
            Assert.Equal(0, TestSteps.RunCountFor(BulkActions.RerunId(operationId, original), "a"));
        }

        Assert.Equal(10, await ListedEventuallyAsync($"label=batch:{batch}&status=failed", 10));
    }

    [Fact]
    public async Task ABulkCancelCountsRunsThatEndedOtherwiseAsSkipped()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["only"] = Node("test.count") });
        var batch = NewId("batch");
        var ended = await StartLabelledAsync(workflowId, batch);
        await _api.WaitTerminalAsync(ended);
        Assert.Equal(1, await ListedEventuallyAsync($"label=batch:{batch}&status=succeeded", 1));

        var response = await _api.PostJsonAsync($"/v1/executions:cancel?label=batch:{batch}", "{}");
        var done = await CompletedAsync((await ApiClient.JsonAsync(response))["id"]!.GetValue<string>());

        Assert.Equal((1L, 0L, 1L, 0L), Counts(done));
    }

    [Fact]
    public async Task EveryWayToAskWronglyGetsItsProblem()
    {
        var unknownParameter = await _api.PostJsonAsync("/v1/executions:cancel?status=running&bogus=1", "{}");
        var noFilter = await _api.PostJsonAsync("/v1/executions:cancel", "{}");
        var badStatus = await _api.PostJsonAsync("/v1/executions:rerun?status=sleeping&createdAfter=yesterday", "{}");
        var badBody = await _api.PostJsonAsync("/v1/executions:rerun?status=failed", """{"fromNode": 1, "input": {}}""");
        var notJson = await _api.PostJsonAsync("/v1/executions:cancel?status=running", "{nope");
        var unknownOperation = await _api.Http.GetAsync($"/v1/bulk/{NewId("none")}");

        Assert.Equal(["/bogus"], await ApiClient.ProblemPointersAsync(unknownParameter));
        Assert.Equal([""], await ApiClient.ProblemPointersAsync(noFilter));
        Assert.Equal(["/createdAfter", "/status"], (await ApiClient.ProblemPointersAsync(badStatus)).Order(StringComparer.Ordinal));
        Assert.Equal(["/fromNode", "/input"], (await ApiClient.ProblemPointersAsync(badBody)).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.All(new[] { unknownParameter, noFilter, badStatus, badBody }, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, unknownOperation.StatusCode);
    }
}
