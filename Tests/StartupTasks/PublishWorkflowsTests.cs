using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.StartupTasks;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.StartupTasks;

/// <summary>The built-in workflow <c>agentorleans.publish-workflows</c> and its step <c>workflows.publish</c>.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PublishWorkflowsTests(ClusterFixture fixture) : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("ao-publish-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static string Definition(string id) => new JsonObject
    {
        ["id"] = id,
        ["start"] = "a",
        ["nodes"] = new JsonObject { ["a"] = new JsonObject { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject { ["x"] = 1 } } } },
        ["edges"] = new JsonArray(),
    }.ToJsonString();

    [Fact]
    public async Task AStartupTaskPublishesEveryDefinitionOfADirectoryAndListsThoseItSkipped()
    {
        var json = NewId("wf");
        var yaml = NewId("wf");
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "a.json"), Definition(json));
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "b.yaml"), $"id: {yaml}\nstart: a\nnodes:\n  a:\n    type: delay\n    with: {{ duration: 1ms }}\n");
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "c.json"), """{"id": "broken", "start": "nowhere", "nodes": {}}""");
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "notes.txt"), "not a definition");
        var name = NewId("task");
        var spec = new StartupTaskSpec(BuiltInWorkflows.PublishWorkflows, null, new JsonObject { ["directory"] = _directory.FullName }.ToJsonString(), "v1");

        var view = await Polling.UntilAsync(() => fixture.Grains.GetGrain<IStartupTaskGrain>(name).RunAsync(spec), v => v.IsFinished, Deadline, TimeSpan.FromMilliseconds(50));

        Assert.Equal(StartupTaskStatus.Succeeded, view.Status);
        Assert.Equal(1, await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(json).GetLatestVersionAsync());
        Assert.Equal(1, await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(yaml).GetLatestVersionAsync());
        var output = JsonNode.Parse((await fixture.Grains.GetGrain<IExecutionGrain>(view.ExecutionId!).GetAsync())!.ResultJson!)!["publish"]!;
        Assert.Equal(["a.json", "b.yaml"], output["published"]!.AsArray().Select(p => p!["file"]!.GetValue<string>()));
        Assert.Equal(["c.json"], output["skipped"]!.AsArray().Select(p => p!["file"]!.GetValue<string>()));
        Assert.Equal("/nodes: must hold at least one node", output["skipped"]![0]!["problems"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task TheStepRefusesToRunInAnExecutionACallerStarted()
    {
        var definition = await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(BuiltInWorkflows.PublishWorkflows).PublishAsync(BuiltInWorkflows.Find(BuiltInWorkflows.PublishWorkflows)!);
        Assert.True(definition.IsValid, string.Join("; ", definition.Problems.Select(p => p.Message)));
        var execution = await new Runs(fixture.Grains).StartAsync(BuiltInWorkflows.PublishWorkflows, new JsonObject { ["directory"] = _directory.FullName });

        var ended = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Failed, ended.Status);
        Assert.Equal(("NotAStartupTask", 1), (ended.Error!.Type, ended.Error.Attempt));
    }

    [Fact]
    public async Task AMissingDirectoryFailsTheTaskAfterTheBuiltInRetries()
    {
        var name = NewId("task");
        var missing = Path.Combine(_directory.FullName, "missing");
        var spec = new StartupTaskSpec(BuiltInWorkflows.PublishWorkflows, null, new JsonObject { ["directory"] = missing }.ToJsonString(), "v1");

        var view = await Polling.UntilAsync(() => fixture.Grains.GetGrain<IStartupTaskGrain>(name).RunAsync(spec), v => v.IsFinished, Deadline, TimeSpan.FromMilliseconds(100));

        Assert.Equal(StartupTaskStatus.Failed, view.Status);
        Assert.Equal($"failed at node publish, attempt 3: DirectoryNotFound: no directory '{missing}' (looked at {missing})", view.Message);
    }
}
