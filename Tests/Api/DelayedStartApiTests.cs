using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Api;

/// <summary><c>startAt</c> and <c>startAfter</c> on <c>POST /v1/executions</c>: 202 scheduled, a past time begins now and says so, bad values are problems.</summary>
[Collection(ApiCollection.Name)]
public sealed class DelayedStartApiTests(ApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    private Task<string> PublishAsync() => _api.PublishAsync(new JsonObject { ["a"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["x"] = 1 } }) });

    [Fact]
    public async Task StartAfterIsScheduledAndBeginsAtItsTime()
    {
        var workflowId = await PublishAsync();

        var response = await _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflowId, ["startAfter"] = "1500ms" }.ToJsonString());
        var answer = await ApiClient.JsonAsync(response);
        var id = answer["id"]!.GetValue<string>();
        var status = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{id}"));
        var done = await _api.WaitTerminalAsync(id);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("scheduled", answer["status"]!.GetValue<string>());
        var scheduledFor = answer["scheduledFor"]!.GetValue<DateTimeOffset>();
        Assert.Equal("scheduled", status["status"]!.GetValue<string>());
        Assert.Equal(scheduledFor, status["scheduledFor"]!.GetValue<DateTimeOffset>());
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.InRange(done["startedAt"]!.GetValue<DateTimeOffset>() - scheduledFor, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task AStartAtInThePastStartsNowAndSaysSo()
    {
        var workflowId = await PublishAsync();

        var response = await _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflowId, ["startAt"] = "2020-01-01T00:00:00Z" }.ToJsonString());
        var answer = await ApiClient.JsonAsync(response);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotEqual("scheduled", answer["status"]!.GetValue<string>());
        Assert.Contains("starts now", answer["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("succeeded", (await _api.WaitTerminalAsync(answer["id"]!.GetValue<string>()))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadStartTimesAreProblemsWithTheirPointers()
    {
        var workflowId = await PublishAsync();

        var both = await _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflowId, ["startAt"] = "2030-01-01T00:00:00Z", ["startAfter"] = "1m" }.ToJsonString());
        var bad = await _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflowId, ["startAt"] = "soon", ["startAfter"] = 5 }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal([""], await ApiClient.ProblemPointersAsync(both));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["", "/startAfter", "/startAt"], (await ApiClient.ProblemPointersAsync(bad)).Order());
    }
}
