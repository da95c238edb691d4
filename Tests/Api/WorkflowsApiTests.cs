using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;

namespace AgentOrleans.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class WorkflowsApiTests(ApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    private static JsonObject Hello(string id, string duration = "1ms") => new()
    {
        ["id"] = id,
        ["start"] = "wait",
        ["nodes"] = new JsonObject { ["wait"] = new JsonObject { ["type"] = "delay", ["with"] = new JsonObject { ["duration"] = duration } } },
    };

    [Fact]
    public async Task PublishingMakesVersionsAndIdenticalContentIsIdempotent()
    {
        var id = Runs.NewId("wf");

        var first = await _api.PutJsonAsync($"/v1/workflows/{id}", Hello(id).ToJsonString());
        var same = await _api.PutJsonAsync($"/v1/workflows/{id}", Hello(id).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        var changed = await _api.PutJsonAsync($"/v1/workflows/{id}", Hello(id, "2ms").ToJsonString());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal($"/v1/workflows/{id}?version=1", first.Headers.Location?.OriginalString);
        Assert.Equal(1, (await ApiClient.JsonAsync(first))["version"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.False((await ApiClient.JsonAsync(same))["created"]!.GetValue<bool>());
        Assert.Equal(2, (await ApiClient.JsonAsync(changed))["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task YamlAndJsonWithTheSameContentAreTheSameVersion()
    {
        var id = Runs.NewId("wf");
        var yaml = $"id: {id}\nstart: wait\nnodes:\n  wait:\n    type: delay\n    with:\n      duration: 1ms\n";

        var fromYaml = await _api.PutJsonAsync($"/v1/workflows/{id}", yaml, "application/yaml");
        var fromJson = await _api.PutJsonAsync($"/v1/workflows/{id}", Hello(id).ToJsonString());

        Assert.Equal(HttpStatusCode.Created, fromYaml.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromJson.StatusCode);
        Assert.Equal(1, (await ApiClient.JsonAsync(fromJson))["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task GettingAWorkflowGivesTheLatestOrTheAskedVersionAndTheirList()
    {
        var id = Runs.NewId("wf");
        await _api.PutJsonAsync($"/v1/workflows/{id}", Hello(id).ToJsonString());
        await _api.PutJsonAsync($"/v1/workflows/{id}", Hello(id, "5ms").ToJsonString());

        var latest = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/workflows/{id}"));
        var first = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/workflows/{id}?version=1"));
        var versions = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/workflows/{id}/versions"));
        var missing = await _api.Http.GetAsync($"/v1/workflows/{id}?version=9");

        Assert.Equal(2, latest["version"]!.GetValue<int>());
        Assert.Equal("5ms", latest["definition"]!["nodes"]!["wait"]!["with"]!["duration"]!.GetValue<string>());
        Assert.Equal("1ms", first["definition"]!["nodes"]!["wait"]!["with"]!["duration"]!.GetValue<string>());
        Assert.Equal([1, 2], versions["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUnknownWorkflowIsNotFound()
    {
        var response = await _api.Http.GetAsync($"/v1/workflows/{Runs.NewId("none")}");
        var versions = await _api.Http.GetAsync($"/v1/workflows/{Runs.NewId("none")}/versions");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, versions.StatusCode);
    }

    [Fact]
    public async Task AnInvalidDefinitionIsRefusedNamingEveryProblemAndWhere()
    {
        var id = Runs.NewId("wf");
        var body = new JsonObject
        {
            ["id"] = id,
            ["start"] = "missing",
            ["colour"] = "blue",
            ["nodes"] = new JsonObject
            {
                ["a"] = new JsonObject { ["type"] = "nope" },
                ["b"] = new JsonObject { ["type"] = "delay", ["with"] = new JsonObject { ["duration"] = "soon" } },
            },
            ["edges"] = new JsonArray(new JsonObject { ["from"] = "a", ["to"] = "ghost", ["when"] = "(((" }),
        };

        var response = await _api.PutJsonAsync($"/v1/workflows/{id}", body.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var pointers = await ApiClient.ProblemPointersAsync(response);
        Assert.Contains("/colour", pointers);
        Assert.Contains("/start", pointers);
        Assert.Contains("/nodes/a/type", pointers);
        Assert.Contains("/nodes/b/with/duration", pointers);
        Assert.Contains("/edges/0/to", pointers);
        Assert.Contains("/edges/0/when", pointers);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync($"/v1/workflows/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("{\"id\": ")]
    [InlineData("[1, 2, 3]")]
    [InlineData("\u0000\u0001garbage")]
    [InlineData("{\"id\": 5, \"start\": \"a\", \"nodes\": {\"a\": {\"type\": \"delay\", \"with\": {\"duration\": \"1s\"}}}}")]
    public async Task GarbageIsABadRequestNeverAServerError(string body)
    {
        var id = Runs.NewId("wf");

        var response = await _api.PutJsonAsync($"/v1/workflows/{id}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(await ApiClient.ProblemPointersAsync(response));
    }

    [Fact]
    public async Task ADefinitionWhoseIdDiffersFromTheUrlIsRefused()
    {
        var response = await _api.PutJsonAsync($"/v1/workflows/{Runs.NewId("url")}", Hello("other").ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["/id"], await ApiClient.ProblemPointersAsync(response));
    }

    [Fact]
    public async Task AnUnsupportedMediaTypeIs415AndAnOversizedBodyIs413()
    {
        var id = Runs.NewId("wf");

        var text = await _api.PutJsonAsync($"/v1/workflows/{id}", Hello(id).ToJsonString(), "text/plain");
        var huge = await _api.PutJsonAsync($"/v1/workflows/{id}", $"{{\"description\": \"{new string('x', 70_000)}\"}}");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal("application/problem+json", text.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal("application/problem+json", huge.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheSampleWorkflowsArePreloaded()
    {
        var response = await Polling.UntilAsync(() => _api.Http.GetAsync("/v1/workflows/slow-steps"), r => r.StatusCode != HttpStatusCode.NotFound, Runs.Deadline, TimeSpan.FromMilliseconds(50));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.GetAsync("/v1/workflows/hello")).StatusCode);
    }
}
