using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Retention;

/// <summary><c>DELETE /v1/executions/{id}</c> on the embedded default: 409 while it runs, then gone with a tombstone that answers 404 <c>deleted</c>.</summary>
[Collection(ApiCollection.Name)]
public sealed class ExecutionDeleteApiTests(ApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task ARunningExecutionIs409AndAFinishedOneIsDeletedAndAnswers404Deleted()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["wait"] = Node("delay", new JsonObject { ["duration"] = "1h" }) });
        var id = await _api.StartAsync(workflowId);

        var running = await _api.Http.DeleteAsync($"/v1/executions/{id}");
        Assert.Equal(HttpStatusCode.Conflict, running.StatusCode);
        Assert.Equal("running", (await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{id}")))["status"]!.GetValue<string>());

        await _api.PostJsonAsync($"/v1/executions/{id}/cancel", "{}");
        await _api.WaitTerminalAsync(id);
        var deleted = await _api.Http.DeleteAsync($"/v1/executions/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var gone = await _api.Http.GetAsync($"/v1/executions/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var problem = await ApiClient.JsonAsync(gone);
        Assert.Equal("deleted", problem["reason"]!.GetValue<string>());
        Assert.NotNull(problem["deletedAt"]);
        var again = await ApiClient.JsonAsync(await _api.Http.DeleteAsync($"/v1/executions/{id}"));
        Assert.Equal("deleted", again["reason"]!.GetValue<string>());
        var listed = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions?workflowId={workflowId}"));
        Assert.Empty(listed["items"]!.AsArray());
    }

    [Fact]
    public async Task AnIdThatNeverExistedIsAPlain404()
    {
        var response = await _api.Http.DeleteAsync($"/v1/executions/{NewId("never")}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null((await ApiClient.JsonAsync(response))["reason"]);
        Assert.Null((await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{NewId("never")}")))["reason"]);
    }
}
