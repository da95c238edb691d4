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

    [Fact]
    public async Task TheParentsLogAnnouncesEachChildOnceWithItsIdAndPathBeforeTheNodeCompletes()
    {
        var child = await _workflows.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var parent = await _workflows.PublishAsync(new JsonObject
        {
            ["call"] = Node("subworkflow", new JsonObject { ["workflowId"] = child }),
            ["each"] = Node("map", new JsonObject { ["items"] = "${{ input.items }}", ["workflowId"] = child, ["parallelism"] = 2 }),
        });

        var execution = await _workflows.StartAsync(parent, new JsonObject { ["items"] = new JsonArray(1, 2, 3) });
        Assert.Equal(ExecutionStatus.Succeeded, (await TerminalAsync(execution)).Status);
        var events = await EventsAsync(execution);

        var id = execution.GetPrimaryKeyString();
        var announced = events.Where(e => e.Type == EventTypes.ChildStarted).ToList();
        Assert.Equal(
            [($"{id}:call:1", "call", "call"), ($"{id}:each:1:0", "each/0", "each"), ($"{id}:each:1:1", "each/1", "each"), ($"{id}:each:1:2", "each/2", "each")],
            announced.Select(e => (Data(e)["executionId"]!.GetValue<string>(), Data(e)["path"]!.GetValue<string>(), e.NodeId!)).Order());
        Assert.All(announced, e => Assert.Equal(child, Data(e)["workflowId"]!.GetValue<string>()));
        Assert.All(announced, e => Assert.Equal(1, e.Attempt));
        foreach (var e in announced)
        {
            // After the child exists, before its node completes.
            Assert.True(events.FindIndex(c => c.Type == EventTypes.NodeCompleted && c.NodeId == e.NodeId) > events.IndexOf(e));
            Assert.True((await fixture.Grains.GetGrain<IExecutionGrain>(Data(e)["executionId"]!.GetValue<string>()).GetAsync()) is not null);
        }
    }

    [Fact]
    public async Task AnAgentsWorkflowToolIsAnnouncedWithItsToolCallInThePath()
    {
        var lookup = await _workflows.PublishAsync(new JsonObject
        {
            ["echo"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["echoed"] = "${{ input.query }}" } }),
        });
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["agent"] = Node("agent", new JsonObject
            {
                ["prompt"] = $"please use tool lookup {NewId("m")}",
                ["tools"] = new JsonArray(new JsonObject { ["name"] = "lookup", ["workflowId"] = lookup }),
            }),
        });

        var execution = await _workflows.StartAsync(workflowId);
        Assert.Equal(ExecutionStatus.Succeeded, (await TerminalAsync(execution)).Status);

        var announced = Assert.Single(await EventsAsync(execution), e => e.Type == EventTypes.ChildStarted);
        Assert.Equal($"{execution.GetPrimaryKeyString()}:agent:1:tool:1:0", Data(announced)["executionId"]!.GetValue<string>());
        Assert.Equal("agent/tool:1:0", Data(announced)["path"]!.GetValue<string>());
    }

    private static JsonNode Data(ExecutionEvent e) => JsonNode.Parse(e.DataJson!)!;
}
