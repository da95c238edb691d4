using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Rerun;

/// <summary><c>POST /v1/executions/{id}/rerun</c>: the answer, the link in the status, idempotency and every refusal.</summary>
[Collection(ApiCollection.Name)]
public sealed class RerunApiTests(ApiFactory factory)
{
    private static readonly string[] CountedNodes = ["a", "flaky"];

    private readonly ApiClient _api = new(factory.CreateClient());

    private async Task<string> FailedAsync()
    {
        var workflowId = await _api.PublishAsync(new JsonObject
        {
            ["a"] = Node("test.count"),
            ["flaky"] = Node("test.flaky", new JsonObject { ["failures"] = "${{ input.failures }}" }),
            ["last"] = Node("test.count"),
        });
        var id = await _api.StartAsync(workflowId, new JsonObject { ["failures"] = 1 });
        Assert.Equal("failed", (await _api.WaitTerminalAsync(id))["status"]!.GetValue<string>());
        return id;
    }

    [Fact]
    public async Task AReRunAnswersAcceptedAndItsStatusNamesTheOriginal()
    {
        var original = await FailedAsync();

        var response = await _api.PostJsonAsync($"/v1/executions/{original}/rerun", """{"input": {"failures": 0}}""");
        var answer = await ApiClient.JsonAsync(response);
        var rerun = answer["id"]!.GetValue<string>();
        var done = await _api.WaitTerminalAsync(rerun);
        var originalNow = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{original}"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal((original, "flaky"), (answer["rerunOf"]!.GetValue<string>(), answer["fromNode"]!.GetValue<string>()));
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.Equal((original, "flaky"), (done["rerunOf"]!.GetValue<string>(), done["rerunFrom"]!.GetValue<string>()));
        Assert.Equal(0, TestSteps.RunCountFor(rerun, "a"));
        Assert.Equal("failed", originalNow["status"]!.GetValue<string>());
        Assert.Null(originalNow["rerunOf"]);
    }

    [Fact]
    public async Task ABarePostReRunsFromTheFailedNodeWithTheOriginalsInput()
    {
        var original = await FailedAsync();

        var response = await _api.Http.PostAsync($"/v1/executions/{original}/rerun", null);
        var rerun = (await ApiClient.JsonAsync(response))["id"]!.GetValue<string>();
        var done = await _api.WaitTerminalAsync(rerun);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("failed", done["status"]!.GetValue<string>()); // the same input fails the same way, from the same node
        Assert.Equal(1, done["input"]!["failures"]!.GetValue<int>());
        Assert.Equal([0, 1], CountedNodes.Select(n => TestSteps.RunCountFor(rerun, n)));
    }

    [Fact]
    public async Task TheSameIdempotencyKeyGivesTheSameReRunAndADifferentRequestWithItConflicts()
    {
        var original = await FailedAsync();
        var key = NewId("key");

        var first = await _api.PostJsonAsync($"/v1/executions/{original}/rerun", """{"fromNode": "flaky", "input": {"failures": 0}}""", key);
        var again = await _api.PostJsonAsync($"/v1/executions/{original}/rerun", """{"fromNode": "flaky", "input": {"failures": 0}}""", key);
        var other = await _api.PostJsonAsync($"/v1/executions/{original}/rerun", """{"fromNode": "a", "input": {"failures": 0}}""", key);
        var firstId = (await ApiClient.JsonAsync(first))["id"]!.GetValue<string>();
        await _api.WaitTerminalAsync(firstId);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Conflict), (first.StatusCode, again.StatusCode, other.StatusCode));
        Assert.Equal(firstId, (await ApiClient.JsonAsync(again))["id"]!.GetValue<string>());
        Assert.Equal(1, TestSteps.RunCountFor(firstId, "flaky"));
    }

    [Fact]
    public async Task EveryWayToAskWronglyGetsItsProblem()
    {
        var failed = await FailedAsync();
        var running = await _api.StartAsync(await _api.PublishAsync(new JsonObject { ["busy"] = Node("test.block") }));
        await SignalAsync(TestSteps.StartedSignal(running, "busy"), "the step to start");

        var whileRunning = await _api.PostJsonAsync($"/v1/executions/{running}/rerun", "{}");
        var unknownNode = await _api.PostJsonAsync($"/v1/executions/{failed}/rerun", """{"fromNode": "nope"}""");
        var notReached = await _api.PostJsonAsync($"/v1/executions/{failed}/rerun", """{"fromNode": "last"}""");
        var badFields = await _api.PostJsonAsync($"/v1/executions/{failed}/rerun", """{"fromNode": 3, "bogus": true}""");
        var badInput = await _api.PostJsonAsync($"/v1/executions/{failed}/rerun", "[1]");
        var unknownId = await _api.PostJsonAsync($"/v1/executions/{NewId("none")}/rerun", "{}");
        await _api.Http.PostAsync($"/v1/executions/{running}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, whileRunning.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownNode.StatusCode);
        Assert.Equal(["/fromNode"], await ApiClient.ProblemPointersAsync(unknownNode));
        Assert.Equal(HttpStatusCode.BadRequest, notReached.StatusCode);
        Assert.Equal(["/fromNode"], await ApiClient.ProblemPointersAsync(notReached));
        Assert.Equal(HttpStatusCode.BadRequest, badFields.StatusCode);
        Assert.Equal(["/bogus", "/fromNode"], (await ApiClient.ProblemPointersAsync(badFields)).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, badInput.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownId.StatusCode);
        Assert.Equal("failed", (await _api.WaitTerminalAsync(failed))["status"]!.GetValue<string>());
    }
}
