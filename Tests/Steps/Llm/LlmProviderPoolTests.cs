using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Pools;
using AgentOrleans.LlmSimulator;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Steps.Llm;

/// <summary>A provider bound to a cluster pool of one permit (<see cref="ClusterFixture.PooledProvider"/>), against the simulator.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LlmProviderPoolTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task ModelCallsToAProviderBoundToAPoolOfOneNeverOverlapAndEveryRunCompletes()
    {
        var marker = NewId("m");
        var llm = await _workflows.PublishAsync(new JsonObject
        {
            ["ask"] = Node("llm", new JsonObject { ["prompt"] = $"hello there {marker}", ["provider"] = ClusterFixture.PooledProvider }),
        });
        var agent = await _workflows.PublishAsync(new JsonObject
        {
            ["act"] = Node("agent", new JsonObject
            {
                ["prompt"] = $"use tool shout {marker}",
                ["provider"] = ClusterFixture.PooledProvider,
                ["tools"] = new JsonArray(new JsonObject
                {
                    ["name"] = "shout",
                    ["step"] = new JsonObject { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject { ["shouted"] = "${{ args.query.toUpperCase() }}" } } },
                }),
            }),
        });

        var executions = await Task.WhenAll(_workflows.StartAsync(llm), _workflows.StartAsync(llm), _workflows.StartAsync(agent));
        var done = await Task.WhenAll(executions.Select(TerminalAsync));

        Assert.All(done, d => Assert.True(d.Status == ExecutionStatus.Succeeded, $"expected {d.Id} to succeed; saw {d.Status} {d.Error?.Type} {d.Error?.Message}"));
        var requests = fixture.Simulator.RequestsWith(marker);
        Assert.Equal(4, requests.Count); // two llm calls, and the agent's two turns (the tool call, then the answer)
        Assert.True(MostAtOnce(requests) == 1, $"expected the simulator to see one request at a time; saw {MostAtOnce(requests)} at once: {string.Join(", ", requests.Select(r => $"{r.ReceivedAt:HH:mm:ss.fff}–{r.EndedAt:HH:mm:ss.fff}"))}");
        Assert.Equal(0, (await fixture.Grains.GetGrain<IPoolGrain>(ClusterFixture.PooledProviderPool).GetUsageAsync()).InUse);
    }

    [Fact]
    public async Task ThePermitComesBackWhenACallIsCancelledMidStreamOrFails()
    {
        var marker = NewId("m");
        var pool = fixture.Grains.GetGrain<IPoolGrain>(ClusterFixture.PooledProviderPool);
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["ask"] = Node("llm", new JsonObject { ["prompt"] = "${{ input.prompt }}", ["model"] = "${{ input.model }}", ["provider"] = ClusterFixture.PooledProvider }),
        });

        var streaming = await _workflows.StartAsync(workflowId, new JsonObject { ["prompt"] = $"{string.Join(' ', Enumerable.Repeat("word", 40))} {marker}", ["model"] = "sim-slow" });
        await EventAsync(streaming, EventTypes.NodeProgress, "ask");
        var heldWhileStreaming = await pool.GetUsageAsync();
        await streaming.CancelAsync("enough");
        var cancelled = await TerminalAsync(streaming);
        var rateLimited = await TerminalAsync(await _workflows.StartAsync(workflowId, new JsonObject { ["prompt"] = $"first {marker}", ["model"] = "sim-429" }));
        var after = await TerminalAsync(await _workflows.StartAsync(workflowId, new JsonObject { ["prompt"] = $"last {marker}", ["model"] = "sim-fast" }));

        Assert.Equal(1, heldWhileStreaming.InUse);
        Assert.Equal(ExecutionStatus.Cancelled, cancelled.Status);
        Assert.Equal(("ProviderRateLimited", ExecutionStatus.Failed), (rateLimited.Error?.Type, rateLimited.Status));
        Assert.Equal(ExecutionStatus.Succeeded, after.Status);
        Assert.Equal(0, (await pool.GetUsageAsync()).InUse);
    }

    /// <summary>The most requests the simulator was serving at one moment.</summary>
    private static int MostAtOnce(IReadOnlyList<SimulatedRequest> requests) =>
        requests.Max(r => requests.Count(o => o.ReceivedAt <= r.ReceivedAt && r.ReceivedAt < (o.EndedAt ?? DateTimeOffset.MaxValue)));
}
