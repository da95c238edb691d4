using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Usage;

/// <summary>A provider's tokens-per-minute pool in the cluster: a 429's Retry-After holds it for every run.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TokenRatePoolTests(ClusterFixture fixture)
{
    private readonly UsageRuns _runs = new(fixture.Grains);

    [Fact]
    public async Task AProviders429HoldsItsPoolSoAnotherRunsCallIsNotSentBeforeRetryAfter()
    {
        var limited = NewId("m");
        var other = NewId("m");
        var rateLimited = await _runs.PublishAsync(new JsonObject
        {
            ["ask"] = Node("llm", new JsonObject { ["prompt"] = $"hello {limited}", ["provider"] = ClusterFixture.RateLimitedProvider, ["model"] = "sim-429" }, retry: new JsonObject { ["maxAttempts"] = 2, ["initialDelay"] = "10ms" }),
        });
        var plain = await _runs.PublishAsync(new JsonObject { ["ask"] = UsageRuns.Llm($"hello {other}", provider: ClusterFixture.RateLimitedProvider) });

        var first = await _runs.StartAsync(rateLimited);
        var refused = await fixture.Simulator.WaitForAsync(limited, r => r.Status == 429, "a 429 answer");

        // Retrying: the failed call has held the pool by then.
        await EventAsync(first, EventTypes.NodeRetrying, "ask");
        var second = await _runs.StartAsync(plain);
        var done = await TerminalAsync(second);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(ExecutionStatus.Succeeded, (await TerminalAsync(first)).Status);
        var sent = Assert.Single(fixture.Simulator.RequestsWith(other));
        var gap = sent.ReceivedAt - refused.ReceivedAt;
        Assert.True(gap >= TimeSpan.FromSeconds(1), $"expected the other run's call held until Retry-After (1 s) passed; it was sent {gap} after the 429");
    }
}
