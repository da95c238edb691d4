using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Executions;

[Collection(ClusterCollection.Name)]
public sealed class VersionPinningTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AStartWithoutAVersionRunsTheVersionPublishedLastEvenAMomentAgo()
    {
        var workflowId = NewId("wf");
        var definitions = fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(workflowId);

        await PublishAsync(definitions, workflowId, "one");
        var first = await RunAsync(workflowId, version: null);
        await PublishAsync(definitions, workflowId, "two");
        var second = await RunAsync(workflowId, version: null);
        var pinned = await RunAsync(workflowId, version: 1);

        Assert.Equal((1, "one"), first);
        Assert.Equal((2, "two"), second);
        Assert.Equal((1, "one"), pinned);
        Assert.Equal(2, await definitions.GetLatestVersionAsync());
    }

    [Fact]
    public async Task AWorkflowNeverPublishedIsNotFound()
    {
        var execution = fixture.Grains.GetGrain<IExecutionGrain>(NewId("ex"));

        var started = await execution.StartAsync(new StartExecution(NewId("missing"), null, null));

        Assert.Equal(StartOutcome.WorkflowNotFound, started.Outcome);
        Assert.Equal(0, await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(NewId("missing")).GetLatestVersionAsync());
    }

    private static async Task PublishAsync(IWorkflowDefinitionGrain definitions, string workflowId, string marker)
    {
        var definition = new JsonObject
        {
            ["id"] = workflowId,
            ["start"] = "mark",
            ["nodes"] = new JsonObject { ["mark"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["marker"] = marker } }) },
        };
        var published = await definitions.PublishAsync(definition.ToJsonString());
        Assert.True(published.IsValid);
    }

    private async Task<(int Version, string Marker)> RunAsync(string workflowId, int? version)
    {
        var execution = fixture.Grains.GetGrain<IExecutionGrain>(NewId("ex"));
        Assert.Equal(StartOutcome.Started, (await execution.StartAsync(new StartExecution(workflowId, version, null))).Outcome);
        var done = await TerminalAsync(execution);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        return (done.Version, JsonNode.Parse(done.ResultJson!)!["marker"]!.GetValue<string>());
    }
}
