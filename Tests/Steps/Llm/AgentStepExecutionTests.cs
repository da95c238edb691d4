using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Steps.Llm;

/// <summary>The agent step's tool loop in the cluster against the in-process simulator.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AgentStepExecutionTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task TheAgentCallsAStepToolAndAWorkflowToolAndAnswersWithTheirResults()
    {
        var marker = NewId("m");
        var lookup = await _workflows.PublishAsync(new JsonObject
        {
            ["echo"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["echoed"] = "${{ input.query }}" } }),
        });
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["agent"] = Node("agent", new JsonObject
            {
                ["prompt"] = $"please use tool shout then use tool lookup {marker}",
                ["tools"] = new JsonArray(
                    new JsonObject
                    {
                        ["name"] = "shout",
                        ["description"] = "upper-cases the query",
                        ["parameters"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["query"] = new JsonObject { ["type"] = "string" } } },
                        ["step"] = new JsonObject { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject { ["shouted"] = "${{ args.query.toUpperCase() }}" } } },
                    },
                    new JsonObject { ["name"] = "lookup", ["workflowId"] = lookup }),
            }),
        });

        var execution = await _workflows.StartAsync(workflowId);
        var done = await TerminalAsync(execution);

        Assert.True(done.Status == ExecutionStatus.Succeeded, $"expected success; saw {done.Status}: {done.Error?.Type} {done.Error?.Message}");
        var output = LlmEvents.Output(done, "agent");
        Assert.Equal(3, output["turns"]!.GetValue<int>());
        var calls = output["toolCalls"]!.AsArray();
        Assert.Equal(["shout", "lookup"], calls.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("SIMULATED", calls[0]!["result"]!["shouted"]!.GetValue<string>());
        Assert.Equal("simulated", calls[1]!["result"]!["echoed"]!.GetValue<string>());
        var content = output["content"]!.GetValue<string>();
        Assert.Contains("SIMULATED", content, StringComparison.Ordinal);
        Assert.Contains("\"echoed\":\"simulated\"", content, StringComparison.Ordinal);

        var chunks = LlmEvents.Chunks(await EventsAsync(execution));
        Assert.Equal(["shout", "lookup"], chunks.Where(c => c["toolCall"] is not null).Select(c => c["toolCall"]!["name"]!.GetValue<string>()));
        Assert.Equal(["shout", "lookup"], chunks.Where(c => c["toolResult"] is not null).Select(c => c["toolResult"]!["name"]!.GetValue<string>()));
        Assert.Equal(content, LlmEvents.Tokens(await EventsAsync(execution)));

        // The model saw each tool's result as a tool message before it answered.
        var last = fixture.Simulator.RequestsWith(marker)[^1];
        Assert.Equal(2, last.Body!["messages"]!.AsArray().Count(m => m!["role"]!.GetValue<string>() == "tool"));
        Assert.Equal(2, last.Body!["tools"]!.AsArray().Count);
    }

    [Fact]
    public async Task AnAgentThatNeverAnswersFailsAtItsTurnLimit()
    {
        var marker = NewId("m");
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["agent"] = Node("agent", new JsonObject
            {
                ["prompt"] = $"use tool a then use tool b {marker}",
                ["maxTurns"] = 1,
                ["tools"] = new JsonArray(
                    new JsonObject { ["name"] = "a", ["step"] = new JsonObject { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject() } } },
                    new JsonObject { ["name"] = "b", ["step"] = new JsonObject { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject() } } }),
            }),
        });

        var done = await TerminalAsync(await _workflows.StartAsync(workflowId));

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal("AgentTurnLimit", done.Error!.Type);
    }
}
