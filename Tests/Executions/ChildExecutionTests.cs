using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Executions;

[Collection(ClusterCollection.Name)]
public sealed class ChildExecutionTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task ASubworkflowRunsAsAChildAndItsResultIsTheNodeOutput()
    {
        var child = await _workflows.PublishAsync(new JsonObject
        {
            ["double"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["doubled"] = "${{ input.n * 2 }}" } }),
        });
        var parent = await _workflows.PublishAsync(new JsonObject
        {
            ["call"] = Node("subworkflow", new JsonObject { ["workflowId"] = child, ["input"] = new JsonObject { ["n"] = "${{ input.n }}" } }),
        });

        var execution = await _workflows.StartAsync(parent, new JsonObject { ["n"] = 21 });
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(42, JsonNode.Parse(done.ResultJson!)!["call"]!["doubled"]!.GetValue<int>());
        var childExecution = fixture.Grains.GetGrain<IExecutionGrain>($"{execution.GetPrimaryKeyString()}:call:1");
        var childSnapshot = await childExecution.GetAsync();
        Assert.Equal(new ParentLink(execution.GetPrimaryKeyString(), "call"), childSnapshot!.Parent);
        Assert.Contains(execution.GetPrimaryKeyString(), (await EventsAsync(childExecution))[0].DataJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellingTheParentCancelsTheChild()
    {
        var child = await _workflows.PublishAsync(new JsonObject { ["busy"] = Node("test.block") });
        var parent = await _workflows.PublishAsync(new JsonObject { ["call"] = Node("subworkflow", new JsonObject { ["workflowId"] = child }) });
        var execution = await _workflows.StartAsync(parent);
        var childId = $"{execution.GetPrimaryKeyString()}:call:1";
        await SignalAsync(TestSteps.StartedSignal(childId, "busy"), "the child's step to start");

        await execution.CancelAsync("parent cancelled");
        var parentDone = await TerminalAsync(execution);
        var childDone = await TerminalAsync(fixture.Grains.GetGrain<IExecutionGrain>(childId));

        Assert.Equal(ExecutionStatus.Cancelled, parentDone.Status);
        Assert.Equal(ExecutionStatus.Cancelled, childDone.Status);
        await SignalAsync(TestSteps.CancellationSignal(childId, "busy"), "the child's step token to be cancelled");
    }

    [Fact]
    public async Task AFailedChildFailsTheParentNode()
    {
        var child = await _workflows.PublishAsync(new JsonObject { ["boom"] = Node("test.flaky", new JsonObject { ["failures"] = 1, ["error"] = "Boom" }) });
        var parent = await _workflows.PublishAsync(new JsonObject { ["call"] = Node("subworkflow", new JsonObject { ["workflowId"] = child }) });

        var done = await TerminalAsync(await _workflows.StartAsync(parent));

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal("ChildFailed", done.Error!.Type);
        Assert.Contains("Boom", done.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapRunsAStepPerItemWithinItsParallelismBoundAndKeepsItemOrder()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["each"] = Node("map", new JsonObject
            {
                ["items"] = "${{ input.items }}",
                ["parallelism"] = 3,
                ["step"] = new JsonObject { ["type"] = "test.concurrency", ["with"] = new JsonObject { ["value"] = "${{ item * 10 + index }}" } },
            }),
        });
        var items = new JsonArray(Enumerable.Range(0, 12).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

        var execution = await _workflows.StartAsync(workflowId, new JsonObject { ["items"] = items });
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var output = JsonNode.Parse(done.ResultJson!)!["each"]!.AsArray().Select(n => n!.GetValue<int>());
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (i * 10) + i), output);
        Assert.InRange(TestSteps.MaxConcurrency(execution.GetPrimaryKeyString()), 2, 3);
    }

    [Fact]
    public async Task MapCanRunAWorkflowPerItem()
    {
        var child = await _workflows.PublishAsync(new JsonObject
        {
            ["square"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["square"] = "${{ input * input }}" } }),
        });
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["each"] = Node("map", new JsonObject { ["items"] = "${{ input.items }}", ["workflowId"] = child, ["parallelism"] = 2 }),
        });

        var done = await TerminalAsync(await _workflows.StartAsync(workflowId, new JsonObject { ["items"] = new JsonArray(1, 2, 3) }));

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal([1, 4, 9], JsonNode.Parse(done.ResultJson!)!["each"]!.AsArray().Select(n => n!["square"]!.GetValue<int>()));
    }
}
