using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Api;

/// <summary>Signals, pause and resume over HTTP: the answers, and every way a caller can get them wrong.</summary>
[Collection(ApiCollection.Name)]
public sealed class ExecutionControlApiTests(ApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    private static JsonObject Wait(string signal) => Node("wait", new JsonObject
    {
        ["signal"] = signal,
        ["schema"] = new JsonObject { ["type"] = "object", ["required"] = new JsonArray("approved") },
    });

    private async Task<JsonNode> StatusAsync(string id) => await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{id}"));

    private async Task<JsonNode> WaitingAsync(string id) =>
        await Polling.UntilAsync(() => StatusAsync(id), s => s["status"]!.GetValue<string>() == "waiting", Deadline, TimeSpan.FromMilliseconds(20));

    [Fact]
    public async Task ASignalIsAcceptedOnceAndTheWaitingRunGoesOn()
    {
        var id = await _api.StartAsync(await _api.PublishAsync(new JsonObject { ["ask"] = Wait("approval") }));
        var waiting = await WaitingAsync(id);

        var accepted = await _api.PostJsonAsync($"/v1/executions/{id}/signals/approval", """{"approved": true}""", idempotencyKey: "sig-1");
        var repeated = await _api.PostJsonAsync($"/v1/executions/{id}/signals/approval", """{"approved": true}""", idempotencyKey: "sig-1");
        var done = await _api.WaitTerminalAsync(id);

        Assert.Equal("waiting", waiting["status"]!.GetValue<string>());
        Assert.Equal("ask", waiting["waitingFor"]![0]!["nodeId"]!.GetValue<string>());
        Assert.Equal("approval", waiting["waitingFor"]![0]!["signal"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.NotNull((await ApiClient.JsonAsync(accepted))["signalId"]);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ABadSignalGetsAProblemAndTheRunKeepsWaiting()
    {
        var id = await _api.StartAsync(await _api.PublishAsync(new JsonObject { ["ask"] = Wait("approval") }));
        await WaitingAsync(id);

        var schema = await _api.PostJsonAsync($"/v1/executions/{id}/signals/approval", """{"comment": "no"}""");
        var notJson = await _api.PostJsonAsync($"/v1/executions/{id}/signals/approval", "{not json");
        var badName = await _api.PostJsonAsync($"/v1/executions/{id}/signals/bad%20name", "{}");
        var wrongType = await _api.Http.PostAsync($"/v1/executions/{id}/signals/approval", new StringContent("{}", Encoding.UTF8, "text/plain"));
        var tooLarge = await _api.PostJsonAsync($"/v1/executions/{id}/signals/approval", $$"""{"approved": true, "pad": "{{new string('x', 70_000)}}"}""");
        var unknown = await _api.PostJsonAsync($"/v1/executions/{NewId("none")}/signals/approval", "{}");
        var still = await StatusAsync(id);
        await _api.Http.PostAsync($"/v1/executions/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.BadRequest, schema.StatusCode);
        Assert.Contains("/approved", (await ApiClient.JsonAsync(schema))["errors"]!.AsArray().Select(e => e!["pointer"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("waiting", still["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AFinishedRunAnswersConflictToSignalsAndPausesAndResumeOfARunningRunChangesNothing()
    {
        var finished = await _api.StartAsync(await _api.PublishAsync(new JsonObject { ["only"] = Node("test.count") }));
        await _api.WaitTerminalAsync(finished);
        var running = await _api.StartAsync(await _api.PublishAsync(new JsonObject { ["busy"] = Node("test.block") }));
        await SignalAsync(TestSteps.StartedSignal(running, "busy"), "the step to start");

        var signal = await _api.PostJsonAsync($"/v1/executions/{finished}/signals/late", "{}");
        var pause = await _api.Http.PostAsync($"/v1/executions/{finished}/pause", null);
        var resume = await _api.Http.PostAsync($"/v1/executions/{running}/resume", null);
        await _api.Http.PostAsync($"/v1/executions/{running}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, signal.StatusCode);
        Assert.Contains("succeeded", (await ApiClient.JsonAsync(signal))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, pause.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.False((await ApiClient.JsonAsync(resume))["changed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PauseAndResumeOverHttp()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["first"] = Node("test.block", new JsonObject { ["ms"] = 300 }), ["second"] = Node("test.count") });
        var id = await _api.StartAsync(workflowId);
        await SignalAsync(TestSteps.StartedSignal(id, "first"), "the first node to start");

        var pause = await _api.Http.PostAsync($"/v1/executions/{id}/pause", null);
        var paused = await Polling.UntilAsync(() => StatusAsync(id), s => s["status"]!.GetValue<string>() == "paused", Deadline, TimeSpan.FromMilliseconds(20));
        var resume = await _api.Http.PostAsync($"/v1/executions/{id}/resume", null);
        var done = await _api.WaitTerminalAsync(id);

        Assert.Equal(HttpStatusCode.Accepted, pause.StatusCode);
        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AToolCallWaitingForApprovalShowsInWaitingForAndTheApprovalSignalDecidesIt()
    {
        var id = await _api.StartAsync(await _api.PublishAsync(new JsonObject { ["agent"] = Node("test.approve", new JsonObject { ["calls"] = 2 }) }));
        var waiting = await WaitingAsync(id);

        var unknown = await _api.PostJsonAsync($"/v1/executions/{id}/signals/approval", """{"toolCallId": "call-9", "approved": true}""");
        var malformed = await _api.PostJsonAsync($"/v1/executions/{id}/signals/approval", """{"approved": "yes", "note": 1}""");
        var first = await _api.PostJsonAsync($"/v1/executions/{id}/signals/approval", """{"toolCallId": "call-1", "approved": false, "comment": "no"}""");
        var stillWaiting = await Polling.UntilAsync(() => StatusAsync(id), s => s["waitingFor"]!.AsArray().Count == 1 && s["status"]!.GetValue<string>() == "waiting", Deadline, TimeSpan.FromMilliseconds(20));
        var second = await _api.PostJsonAsync($"/v1/executions/{id}/signals/approval", """{"toolCallId": "call-0", "approved": true, "arguments": {"i": 10}}""");
        var done = await _api.WaitTerminalAsync(id);

        var pending = waiting["waitingFor"]!.AsArray();
        Assert.Equal(2, pending.Count);
        var expected = JsonNode.Parse("""{"nodeId": "agent", "signal": "approval", "until": null, "approval": {"toolCallId": "call-0", "name": "fake", "arguments": {"i": 0}}}""");
        Assert.True(JsonNode.DeepEquals(expected, pending[0]), pending[0]!.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var unknownError = Assert.Single((await ApiClient.JsonAsync(unknown))["errors"]!.AsArray());
        Assert.Equal("/toolCallId", unknownError!["pointer"]!.GetValue<string>());
        Assert.Contains("call-9", unknownError["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(["/approved", "/note", "/toolCallId"], (await ApiClient.JsonAsync(malformed))["errors"]!.AsArray().Select(e => e!["pointer"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("call-0", stillWaiting["waitingFor"]![0]!["approval"]!["toolCallId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        var decisions = done["result"]!["agent"]!["decisions"]!.AsArray();
        Assert.Equal((true, 10), (decisions[0]!["approved"]!.GetValue<bool>(), decisions[0]!["arguments"]!["i"]!.GetValue<int>()));
        Assert.Equal((false, "no"), (decisions[1]!["approved"]!.GetValue<bool>(), decisions[1]!["comment"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AWaitNodesEntryInWaitingForHasNoApproval()
    {
        var id = await _api.StartAsync(await _api.PublishAsync(new JsonObject { ["ask"] = Wait("approval") }));
        var waiting = await WaitingAsync(id);
        await _api.Http.PostAsync($"/v1/executions/{id}/cancel", null);

        Assert.False(waiting["waitingFor"]![0]!.AsObject().ContainsKey("approval"));
    }
}
