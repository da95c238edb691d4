using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Admission;

/// <summary>Admission bounds through the API: 3 active executions in total, 2 per workflow (one test: the bounds are shared).</summary>
[Collection(LimitedApiCollection.Name)]
public sealed class AdmissionTests(LimitedApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task StartsBeyondTheBoundsAreRefusedWith429AndRetryAfterUntilASlotIsFreed()
    {
        var first = await _api.PublishAsync(new JsonObject { ["wait"] = Node("test.block") });
        var second = await _api.PublishAsync(new JsonObject { ["wait"] = Node("test.block") });
        var third = await _api.PublishAsync(new JsonObject { ["wait"] = Node("test.block") });
        List<string> running = [await _api.StartAsync(first), await _api.StartAsync(first)];

        var perWorkflow = await StartAsync(first);
        running.Add(await _api.StartAsync(second));
        var total = await StartAsync(third);

        await AssertRefusedAsync(perWorkflow, $"workflow '{first}'");
        await AssertRefusedAsync(total, "MaxActiveExecutions");
        await _api.Http.PostAsync($"/v1/executions/{running[0]}/cancel", null);
        await _api.WaitTerminalAsync(running[0]);
        var freed = await StartAsync(first);
        Assert.Equal(HttpStatusCode.Accepted, freed.StatusCode);
        running[0] = (await ApiClient.JsonAsync(freed))["id"]!.GetValue<string>();
        foreach (var id in running)
        {
            await _api.Http.PostAsync($"/v1/executions/{id}/cancel", null);
            await _api.WaitTerminalAsync(id);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await StartAsync(third)).StatusCode);
    }

    private Task<HttpResponseMessage> StartAsync(string workflowId) =>
        _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflowId }.ToJsonString());

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string mentions)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await ApiClient.JsonAsync(response))["detail"]!.GetValue<string>();
        Assert.True(detail.Contains(mentions, StringComparison.Ordinal), $"expected the refusal to mention {mentions}: {detail}");
    }
}
