using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class ExecutionsApiTests(ApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task StartingAnswersAcceptedWithTheIdLinksAndLocation()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });

        var response = await _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflowId }.ToJsonString());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await ApiClient.JsonAsync(response);
        var id = body["id"]!.GetValue<string>();
        Assert.Equal($"/v1/executions/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("running", body["status"]!.GetValue<string>()); // started with the request: nothing holds a run back
        Assert.Equal($"/v1/executions/{id}/events", body["links"]!["events"]!.GetValue<string>());
        Assert.Equal($"/v1/executions/{id}/cancel", body["links"]!["cancel"]!.GetValue<string>());
        var done = await _api.WaitTerminalAsync(id);
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.NotNull(done["completedAt"]);
    }

    [Fact]
    public async Task StatusLongPollsUntilTerminalAndShowsTheCurrentNodeWhileRunning()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["busy"] = Node("test.block", new JsonObject { ["ms"] = 400 }) });
        var id = await _api.StartAsync(workflowId);
        await SignalAsync(TestSteps.StartedSignal(id, "busy"), "the step to start");

        var running = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{id}"));
        var waited = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{id}?wait=30s"));

        Assert.Equal("running", running["status"]!.GetValue<string>());
        Assert.Equal("busy", running["currentNode"]!["id"]!.GetValue<string>());
        Assert.Equal("succeeded", waited["status"]!.GetValue<string>());
        Assert.Null(waited["currentNode"]);
    }

    [Fact]
    public async Task TheSameIdempotencyKeyAndBodyGiveTheSameExecutionAndAnotherBodyConflicts()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var key = Guid.NewGuid().ToString();
        var body = new JsonObject { ["workflowId"] = workflowId, ["input"] = new JsonObject { ["n"] = 1 } }.ToJsonString();

        var first = await _api.PostJsonAsync("/v1/executions", body, key);
        var again = await _api.PostJsonAsync("/v1/executions", body, key);
        var other = await _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflowId, ["input"] = new JsonObject { ["n"] = 2 } }.ToJsonString(), key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var id = (await ApiClient.JsonAsync(first))["id"]!.GetValue<string>();
        Assert.Equal(id, (await ApiClient.JsonAsync(again))["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        await _api.WaitTerminalAsync(id);
        Assert.Equal(1, TestSteps.RunCountFor(id, "a"));
    }

    [Fact]
    public async Task AnInvalidStartRequestNamesEveryProblem()
    {
        var response = await _api.PostJsonAsync("/v1/executions", """{"workflowId": 7, "version": 0, "extra": true}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["/extra", "/version", "/workflowId"], (await ApiClient.ProblemPointersAsync(response)).Order());
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("null")]
    public async Task GarbageStartBodiesAreBadRequests(string body)
    {
        var response = await _api.PostJsonAsync("/v1/executions", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(await ApiClient.ProblemPointersAsync(response));
    }

    [Fact]
    public async Task StartingAnUnknownWorkflowIsNotFound()
    {
        var response = await _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = NewId("none") }.ToJsonString());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task InputBreakingTheInputSchemaIsABadRequestPointingIntoTheInput()
    {
        var id = NewId("wf");
        var definition = new JsonObject
        {
            ["id"] = id,
            ["start"] = "a",
            ["input"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["n"] = new JsonObject { ["type"] = "integer" } } },
            ["nodes"] = new JsonObject { ["a"] = Node("test.count") },
        };
        await _api.PutJsonAsync($"/v1/workflows/{id}", definition.ToJsonString());

        var response = await _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = id, ["input"] = new JsonObject { ["n"] = "one" } }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("/input/n", await ApiClient.ProblemPointersAsync(response));
    }

    [Fact]
    public async Task WrongMediaTypeOversizedBodyAndBadWaitAreProblems()
    {
        var text = await _api.Http.PostAsync("/v1/executions", new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"));
        var huge = await _api.PostJsonAsync("/v1/executions", $"{{\"workflowId\": \"x\", \"input\": \"{new string('x', 70_000)}\"}}");
        var badWait = await _api.Http.GetAsync($"/v1/executions/{NewId("ex")}?wait=forever");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badWait.StatusCode);
        Assert.Equal(["/wait"], await ApiClient.ProblemPointersAsync(badWait));
    }

    [Fact]
    public async Task AChunkedBodyOverTheLimitIs413AndOneThatIsNotUtf8Is400()
    {
        // No Content-Length: the limit is enforced while the body streams in.
        using var chunked = new UnknownLengthContent(System.Text.Encoding.UTF8.GetBytes($"{{\"workflowId\": \"x\", \"input\": \"{new string('x', 70_000)}\"}}"));
        chunked.Headers.ContentType = new("application/json");
        using var notUtf8 = new ByteArrayContent([(byte)'{', 0xC3, 0x28, (byte)'}']);
        notUtf8.Headers.ContentType = new("application/json");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/executions") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var huge = await _api.Http.SendAsync(request);
        var garbled = await _api.Http.PostAsync("/v1/executions", notUtf8);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbled.StatusCode);
        Assert.Contains("not UTF-8", await garbled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellingAnswersAcceptedThenSaysAFinishedExecutionIsUnchanged()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["busy"] = Node("test.block") });
        var id = await _api.StartAsync(workflowId);

        var cancel = await _api.Http.PostAsync($"/v1/executions/{id}/cancel?reason=enough", null);
        var done = await _api.WaitTerminalAsync(id);
        var again = await _api.Http.PostAsync($"/v1/executions/{id}/cancel", null);
        var unknown = await _api.Http.PostAsync($"/v1/executions/{NewId("ex")}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal("cancelled", done["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False((await ApiClient.JsonAsync(again))["accepted"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task AnUnknownExecutionIsNotFoundEverywhere()
    {
        var id = NewId("ex");

        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync($"/v1/executions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync($"/v1/executions/{id}/events")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.OpenEventStreamAsync(id)).StatusCode);
    }

    [Fact]
    public async Task TheJsonEventPageResumesAfterAndHonoursLimit()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count"), ["b"] = Node("test.count") });
        var id = await _api.StartAsync(workflowId);
        await _api.WaitTerminalAsync(id);

        var all = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{id}/events"));
        var page = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{id}/events?after=2&limit=3"));
        var bad = await _api.Http.GetAsync($"/v1/executions/{id}/events?after=-1&limit=0");

        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), all["events"]!.AsArray().Select(e => e!["seq"]!.GetValue<long>()));
        Assert.Equal([3L, 4L, 5L], page["events"]!.AsArray().Select(e => e!["seq"]!.GetValue<long>()));
        Assert.Equal(5, page["next"]!.GetValue<long>());
        Assert.Null(page["trimmedThrough"]);
        var node = page["events"]![0]!;
        Assert.Equal("node.started", node["type"]!.GetValue<string>());
        Assert.Equal("a", node["nodeId"]!.GetValue<string>());
        Assert.Equal(1, node["attempt"]!.GetValue<int>());
        Assert.Equal(id, node["executionId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["/after", "/limit"], await ApiClient.ProblemPointersAsync(bad));
    }

    /// <summary>A body sent without Content-Length (chunked).</summary>
    private sealed class UnknownLengthContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
