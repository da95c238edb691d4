using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Schedules;

/// <summary>The schedules endpoints over HTTP (embedded default): the lifecycle, the list, and bad input as problems.</summary>
[Collection(ApiCollection.Name)]
public sealed class SchedulesApiTests(ApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    private Task<string> PublishAsync() => _api.PublishAsync(new JsonObject { ["a"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["x"] = 1 } }) });

    private async Task<JsonNode> GetAsync(string id) => await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/schedules/{id}"));

    private static List<string> Pointers(JsonNode problem) => problem["errors"]!.AsArray().Select(e => e!["pointer"]!.GetValue<string>()).Order().ToList();

    [Fact]
    public async Task PutGetPauseResumeTriggerAndDelete()
    {
        var workflowId = await PublishAsync();
        var id = NewId("sched");

        var created = await _api.PutJsonAsync($"/v1/schedules/{id}", $$$"""{"workflowId": "{{{workflowId}}}", "cron": "0 9 * * MON", "timeZone": "Europe/Berlin", "input": {"n": 1}}""");
        var same = await _api.PutJsonAsync($"/v1/schedules/{id}", $$$"""{"workflowId": "{{{workflowId}}}", "cron": "0 9 * * MON", "timeZone": "Europe/Berlin", "input": {"n": 1}}""");
        var fetched = await GetAsync(id);
        var paused = await ApiClient.JsonAsync(await _api.Http.PostAsync($"/v1/schedules/{id}/pause", null));
        var trigger = await _api.Http.PostAsync($"/v1/schedules/{id}/trigger", null);
        var fire = await ApiClient.JsonAsync(trigger);
        var resumed = await ApiClient.JsonAsync(await _api.Http.PostAsync($"/v1/schedules/{id}/resume", null));
        var run = await _api.WaitTerminalAsync(fire["executionId"]!.GetValue<string>());
        var afterRun = await GetAsync(id);
        var deleted = await _api.Http.DeleteAsync($"/v1/schedules/{id}");
        var gone = await _api.Http.GetAsync($"/v1/schedules/{id}");
        var deletedAgain = await _api.Http.DeleteAsync($"/v1/schedules/{id}");
        var triggerGone = await _api.Http.PostAsync($"/v1/schedules/{id}/trigger", null);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/v1/schedules/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal("active", fetched["state"]!.GetValue<string>());
        Assert.Equal("Europe/Berlin", fetched["timeZone"]!.GetValue<string>());
        Assert.Equal("skip", fetched["overlap"]!.GetValue<string>());
        Assert.Equal("1m", fetched["catchUpWindow"]!.GetValue<string>());
        var next = fetched["nextFires"]!.AsArray().Select(n => DateTimeOffset.Parse(n!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(5, next.Count);
        Assert.All(next, at => Assert.Equal(DayOfWeek.Monday, TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).DayOfWeek));
        Assert.Equal("paused", paused["state"]!.GetValue<string>());
        Assert.Empty(paused["nextFires"]!.AsArray());
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        Assert.StartsWith($"sched:{id}:", fire["executionId"]!.GetValue<string>());
        Assert.True(fire["manual"]!.GetValue<bool>());
        Assert.Equal("active", resumed["state"]!.GetValue<string>());
        Assert.Equal("succeeded", run["status"]!.GetValue<string>());
        Assert.Equal(1, run["input"]!["n"]!.GetValue<int>());
        var last = afterRun["lastFires"]!.AsArray().Single()!;
        Assert.Equal(fire["executionId"]!.GetValue<string>(), last["executionId"]!.GetValue<string>());
        Assert.Equal("succeeded", last["outcome"]!.GetValue<string>());
        Assert.Empty(afterRun["running"]!.AsArray());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, triggerGone.StatusCode);
    }

    [Fact]
    public async Task TheListPagesThroughSchedulesInIdOrder()
    {
        var workflowId = await PublishAsync();
        var prefix = NewId("list");
        foreach (var suffix in new[] { "c", "a", "b" })
        {
            Assert.Equal(HttpStatusCode.Created, (await _api.PutJsonAsync($"/v1/schedules/{prefix}-{suffix}", $$"""{"workflowId": "{{workflowId}}", "every": "1h"}""")).StatusCode);
        }

        var first = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/schedules?after={prefix}&limit=2"));
        var second = await ApiClient.JsonAsync(await _api.Http.GetAsync(first["next"]!.GetValue<string>()));
        await _api.Http.DeleteAsync($"/v1/schedules/{prefix}-b");
        var afterDelete = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/schedules?after={prefix}&limit=2"));
        var badLimit = await _api.Http.GetAsync("/v1/schedules?limit=0");

        Assert.Equal([$"{prefix}-a", $"{prefix}-b"], first["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal($"{prefix}-c", second["items"]![0]!["id"]!.GetValue<string>());
        Assert.Equal([$"{prefix}-a", $"{prefix}-c"], afterDelete["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        foreach (var suffix in new[] { "a", "c" })
        {
            await _api.Http.DeleteAsync($"/v1/schedules/{prefix}-{suffix}");
        }
    }

    [Theory]
    [InlineData("""{"workflowId": "WF", "cron": "61 * * * *"}""", "/cron")]
    [InlineData("""{"workflowId": "WF", "cron": "0 9 * * *", "timeZone": "Mars/Olympus_Mons"}""", "/timeZone")]
    [InlineData("""{"workflowId": "WF", "every": "500ms"}""", "/every")]
    [InlineData("""{"workflowId": "WF", "every": "1m", "startAt": "2030-01-02T00:00:00Z", "endAt": "2030-01-01T00:00:00Z"}""", "/endAt")]
    [InlineData("""{"workflowId": "WF", "every": "1m", "cron": "* * * * *"}""", "")]
    [InlineData("""{"workflowId": "WF"}""", "")]
    [InlineData("""{"workflowId": "no-such-workflow-anywhere", "every": "1m"}""", "/workflowId")]
    [InlineData("""{"workflowId": "WF", "version": 99, "every": "1m"}""", "/version")]
    [InlineData("""{"workflowId": "WF", "every": "1m", "input": {"n": "not a number"}}""", "/input")]
    [InlineData("""not json""", "")]
    public async Task EachBadDefinitionIs400WithItsPointer(string body, string pointer)
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["a"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["x"] = 1 } }) });
        await SetInputSchemaAsync(workflowId);

        var response = await _api.PutJsonAsync($"/v1/schedules/{NewId("bad")}", body.Replace("\"WF\"", $"\"{workflowId}\"", StringComparison.Ordinal));
        var problem = await ApiClient.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Pointers(problem), p => p == pointer || (pointer.Length > 0 && p.StartsWith(pointer + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EveryProblemIsListedInOneAnswer()
    {
        var response = await _api.PutJsonAsync($"/v1/schedules/{NewId("bad")}", """
            {"workflowId": "no-such-workflow-anywhere", "cron": "61 * * * *", "every": "100ms", "timeZone": "Nowhere/City",
             "startAt": "2030-01-02T00:00:00Z", "endAt": "2030-01-01T00:00:00Z"}
            """);
        var problem = await ApiClient.JsonAsync(response);
        var badId = await _api.PutJsonAsync("/v1/schedules/bad:id", """{"workflowId": "x", "every": "1m"}""");
        var unknown = await _api.Http.GetAsync($"/v1/schedules/{NewId("none")}");
        var wrongType = await _api.Http.PutAsync($"/v1/schedules/{NewId("bad")}", new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["", "/cron", "/endAt", "/every", "/timeZone", "/workflowId"], Pointers(problem));
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Contains("/id", Pointers(await ApiClient.JsonAsync(badId)));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
    }

    // Version 2 of the workflow takes {n: integer}; the schedule names the latest.
    private async Task SetInputSchemaAsync(string workflowId)
    {
        var definition = new JsonObject
        {
            ["id"] = workflowId,
            ["start"] = "a",
            ["input"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["n"] = new JsonObject { ["type"] = "integer" } } },
            ["nodes"] = new JsonObject { ["a"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["x"] = 1 } }) },
            ["edges"] = new JsonArray(),
        };
        Assert.Equal(HttpStatusCode.Created, (await _api.PutJsonAsync($"/v1/workflows/{workflowId}", definition.ToJsonString())).StatusCode);
    }
}
