using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Telemetry;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Steps.Llm;

/// <summary>Providers that are not the simulator: an IChatClient the host registered, and a destination the outbound guard refuses.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RegisteredChatClientTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task AnLlmNodeOnAProviderWithoutBaseUrlRunsOnTheChatClientRegisteredUnderItsName()
    {
        var marker = NewId("m");
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["ask"] = Node("llm", new JsonObject { ["prompt"] = $"hello {marker}", ["provider"] = ClusterFixture.ScriptedProvider }),
        });

        var execution = await _workflows.StartAsync(workflowId);
        var done = await TerminalAsync(execution);

        Assert.True(done.Status == ExecutionStatus.Succeeded, $"expected success; saw {done.Status}: {done.Error?.Type} {done.Error?.Message}");
        var output = LlmEvents.Output(done, "ask");
        Assert.Equal($"Scripted: hello {marker}", output["content"]!.GetValue<string>());
        Assert.Equal(output["content"]!.GetValue<string>(), LlmEvents.Tokens(await EventsAsync(execution)));
        Assert.Equal("scripted-model", output["model"]!.GetValue<string>());
        Assert.Equal((3, 3), (output["usage"]!["promptTokens"]!.GetValue<int>(), output["usage"]!["completionTokens"]!.GetValue<int>()));
        var (_, options) = Assert.Single(ClusterFixture.Scripted.Calls, c => c.Prompt.Contains(marker, StringComparison.Ordinal));
        Assert.Equal("scripted-model", options?.ModelId);
        // The span's tags travel to the telemetry middleware, never to the provider.
        Assert.DoesNotContain(options?.AdditionalProperties?.Keys ?? [], k => k == GenAiTelemetry.WorkflowTag || k == GenAiTelemetry.NodeTag);
        Assert.Empty(fixture.Simulator.RequestsWith(marker));
    }

    [Fact]
    public async Task AProviderAtAnAddressTheOutboundGuardRefusesFailsTheNodeWithoutRetrying()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["ask"] = Node("llm", new JsonObject { ["prompt"] = "hello", ["provider"] = ClusterFixture.RefusedProvider }, retry: new JsonObject { ["maxAttempts"] = 3, ["initialDelay"] = "10ms" }),
        });

        var execution = await _workflows.StartAsync(workflowId);
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal("DestinationNotAllowed", done.Error!.Type);
        Assert.Contains("169.254.169.254", done.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await EventsAsync(execution), e => e.Type == EventTypes.NodeRetrying);
    }

    [Fact]
    public async Task AProviderThatIsNeitherConfiguredNorRegisteredIsRefusedAtPublishWhileARegisteredOneIsNot()
    {
        var (_, published) = await _workflows.TryPublishAsync(new JsonObject
        {
            ["ask"] = Node("llm", new JsonObject { ["prompt"] = "hello", ["provider"] = "nowhere" }),
            ["scripted"] = Node("llm", new JsonObject { ["prompt"] = "hello", ["provider"] = ClusterFixture.ScriptedProvider }),
        });

        Assert.False(published.IsValid);
        var problem = Assert.Single(published.Problems);
        Assert.Equal("/nodes/ask/with/provider", problem.Pointer);
        Assert.Contains("AgentOrleans:Llm:Providers:nowhere:BaseUrl", problem.Message, StringComparison.Ordinal);
    }
}
