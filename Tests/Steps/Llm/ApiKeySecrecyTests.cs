using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Steps.Llm;

/// <summary>The provider's API key goes to the provider and nowhere else.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ApiKeySecrecyTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task TheApiKeyIsSentToTheProviderButNeverAppearsInEventsOrLogs()
    {
        var marker = NewId("m");
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["limited"] = Node("llm", new JsonObject { ["prompt"] = $"first {marker}", ["model"] = "sim-429" }, retry: new JsonObject { ["maxAttempts"] = 2, ["initialDelay"] = "10ms" }),
            ["agent"] = Node("agent", new JsonObject
            {
                ["prompt"] = $"second {marker}",
                ["tools"] = new JsonArray(new JsonObject { ["name"] = "noop", ["step"] = new JsonObject { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject { ["ok"] = true } } } }),
            }),
        });

        var execution = await _workflows.StartAsync(workflowId);
        var done = await TerminalAsync(execution);

        Assert.True(done.Status == ExecutionStatus.Succeeded, $"expected success; saw {done.Status}: {done.Error?.Type} {done.Error?.Message}");
        var requests = fixture.Simulator.RequestsWith(marker);
        Assert.True(requests.Count >= 3, $"expected at least 3 model calls; saw {requests.Count}");
        Assert.All(requests, r => Assert.Equal($"Bearer {ClusterFixture.ApiKey}", r.Authorization));
        Assert.All(await EventsAsync(execution), e => Assert.DoesNotContain(ClusterFixture.ApiKey, e.DataJson ?? "", StringComparison.Ordinal));
        Assert.Contains(CapturedLogs.Provider.Lines, l => l.Contains(done.Id, StringComparison.Ordinal) && l.Contains("rate limiting", StringComparison.Ordinal));
        Assert.DoesNotContain(CapturedLogs.Provider.Lines, l => l.Contains(ClusterFixture.ApiKey, StringComparison.Ordinal));
    }
}
