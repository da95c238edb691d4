using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Api;

/// <summary>SSE events are buffered per burst; these tests run where no heartbeat would flush them.</summary>
[Collection(LimitedApiCollection.Name)]
public sealed class SseFlushTests(LimitedApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task EventsReachTheClientWhileTheRunIsStillGoing()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["wait"] = Node("test.block", new JsonObject { ["ms"] = 60_000 }) });
        var id = await _api.StartAsync(workflowId);
        using var stream = await _api.OpenEventStreamAsync(id);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        var events = await ApiClient.ReadEventsAsync(stream, stopAfter: 3, deadline.Token);
        var status = await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{id}"));
        await _api.PostJsonAsync($"/v1/executions/{id}/cancel", "{}");
        await _api.WaitTerminalAsync(id);

        Assert.Equal(["execution.queued", "execution.started", "node.started"], events.Select(e => e.EventType));
        Assert.Equal("running", status["status"]!.GetValue<string>());
    }
}
