using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.LlmSimulator;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Steps.Llm;

/// <summary>An agent whose activation is lost mid-conversation resumes at the turn it was in.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DurableAgentTurnsTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    private static int ToolMessages(SimulatedRequest request) =>
        request.Body?["messages"]?.AsArray().Count(m => m?["role"]?.GetValue<string>() == "tool") ?? 0;

    private static JsonObject CountingTool(string name) => new()
    {
        ["name"] = name,
        ["description"] = $"counts its runs ({name})",
        ["step"] = new JsonObject { ["type"] = "test.count" },
    };

    [Fact]
    public async Task AnAgentLostInItsThirdTurnRepeatsNeitherTheFirstTwoTurnsNorTheirTools()
    {
        var marker = NewId("m");
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["agent"] = Node("agent", new JsonObject
            {
                ["prompt"] = $"please use tool first then use tool second {marker}",
                ["model"] = "sim-slow",
                ["tools"] = new JsonArray(CountingTool("first"), CountingTool("second")),
            }),
        });
        var execution = await _workflows.StartAsync(workflowId);
        var id = execution.GetPrimaryKeyString();

        // The third turn is the one that sees both tools' results; it streams slowly, so the activation is lost inside it.
        await fixture.Simulator.WaitForAsync(marker, r => ToolMessages(r) == 2, "the agent's third turn");
        await execution.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await execution.WakeAsync();
        var done = await TerminalAsync(execution);

        Assert.True(done.Status == ExecutionStatus.Succeeded, $"expected success; saw {done.Status}: {done.Error?.Type} {done.Error?.Message}");
        var requests = fixture.Simulator.RequestsWith(marker);
        Assert.Equal(1, requests.Count(r => ToolMessages(r) == 0));
        Assert.Equal(1, requests.Count(r => ToolMessages(r) == 1));
        Assert.InRange(requests.Count(r => ToolMessages(r) == 2), 1, 2);
        Assert.Equal(1, Infrastructure.TestSteps.RunCount($"{id}:agent:1:tool:1:0"));
        Assert.Equal(1, Infrastructure.TestSteps.RunCount($"{id}:agent:1:tool:2:0"));

        var output = LlmEvents.Output(done, "agent");
        Assert.Equal(3, output["turns"]!.GetValue<int>());
        Assert.Equal(["first", "second"], output["toolCalls"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));

        // After the resume the stream is whole again: the replayed turns and calls, then the third turn's tokens.
        var events = await EventsAsync(execution);
        var resumed = events.Single(e => e.Type == EventTypes.NodeStarted && e.DataJson?.Contains("resumed") == true);
        var after = LlmEvents.Chunks(events.Where(e => e.Seq > resumed.Seq));
        Assert.Equal(["first", "second"], after.Where(c => c["toolResult"] is not null).Select(c => c["toolResult"]!["name"]!.GetValue<string>()));
        Assert.Equal(output["content"]!.GetValue<string>(), LlmEvents.Tokens(events.Where(e => e.Seq > resumed.Seq)));
    }
}
