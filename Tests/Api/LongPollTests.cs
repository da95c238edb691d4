using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Api;

/// <summary>Long-polls against an Api whose grain calls time out sooner than the wait asked for.</summary>
[Collection(LimitedApiCollection.Name)]
public sealed class LongPollTests(LimitedApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task AWaitLongerThanTheGrainCallTimeoutAnswersTheStatusWhenItEnds()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["wait"] = Node("test.block", new JsonObject { ["ms"] = 60_000 }) });
        var id = await _api.StartAsync(workflowId);
        var wait = TimeSpan.FromSeconds(LimitedApiFactory.ResponseTimeoutSeconds * 2 + 1);

        var clock = Stopwatch.StartNew();
        var response = await _api.Http.GetAsync($"/v1/executions/{id}?wait={wait.TotalSeconds}s");
        var waited = clock.Elapsed;
        await _api.PostJsonAsync($"/v1/executions/{id}/cancel", "{}");
        await _api.WaitTerminalAsync(id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("running", (await ApiClient.JsonAsync(response))["status"]!.GetValue<string>());
        Assert.True(waited >= wait - TimeSpan.FromMilliseconds(100), $"expected the call to wait about {wait}; it answered after {waited}");
    }
}
