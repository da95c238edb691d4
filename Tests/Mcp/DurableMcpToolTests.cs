using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.LlmSimulator;
using AgentOrleans.Tests.Infrastructure;
using AgentOrleans.Tests.Steps.Llm;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Mcp;

/// <summary>An agent whose activation is lost after its MCP calls resumes without calling them again.</summary>
[Collection(McpCollection.Name)]
public sealed class DurableMcpToolTests(McpFixture fixture)
{
    private static int ToolMessages(SimulatedRequest request) =>
        request.Body?["messages"]?.AsArray().Count(m => m?["role"]?.GetValue<string>() == "tool") ?? 0;

    [Fact]
    public async Task AnAgentLostAfterItsMcpCallsRepeatsNoneOfThem()
    {
        var marker = NewId("m");
        var workflows = new Runs(fixture.Grains);
        var workflowId = await workflows.PublishAsync(new JsonObject
        {
            ["agent"] = Node("agent", new JsonObject
            {
                ["prompt"] = $$"""use tool tally then use tool list_files args {"key":"{{marker}}"} {{marker}}""",
                ["model"] = "sim-slow",
                ["tools"] = new JsonArray(new JsonObject { ["mcp"] = new JsonObject { ["server"] = McpApiFactory.Files } }),
            }),
        });
        var execution = await workflows.StartAsync(workflowId);

        // The third turn sees both results and streams slowly: the activation is lost inside it.
        await fixture.Simulator.WaitForAsync(marker, r => ToolMessages(r) == 2, "the agent's third turn");
        await execution.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await execution.WakeAsync();
        var done = await TerminalAsync(execution);

        Assert.True(done.Status == ExecutionStatus.Succeeded, $"expected success; saw {done.Status}: {done.Error?.Type} {done.Error?.Message}");
        var calls = LlmEvents.Output(done, "agent")["toolCalls"]!.AsArray();
        Assert.Equal(["tally", "list_files"], calls.Select(c => c!["name"]!.GetValue<string>()));
        // A second call with the key would have answered 2: the resumed attempt took the result from its journal.
        Assert.Equal("1", calls[0]!["result"]!["content"]![0]!["text"]!.GetValue<string>());
        var requests = fixture.Simulator.RequestsWith(marker);
        Assert.Equal(1, requests.Count(r => ToolMessages(r) == 0));
        Assert.Equal(1, requests.Count(r => ToolMessages(r) == 1));
        // The resumed attempt offered the model the tools its journal lists, the same as before.
        var offered = requests.Select(r => r.Body!["tools"]!.ToJsonString()).Distinct().ToList();
        Assert.Single(offered);
    }
}
