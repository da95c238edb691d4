using System.Text.Json.Nodes;
using AgentOrleans.Cli;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Cli;

/// <summary>The <c>agentorleans</c> commands against the real embedded Api: what they do, print and exit with, and how they report problems.</summary>
[Collection(ApiCollection.Name)]
public sealed class CliCommandTests(ApiFactory factory)
{
    private readonly CliRunner _cli = new(factory.CreateClient().BaseAddress!);
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task PublishingAFolderPublishesEveryDefinitionInIt()
    {
        var folder = Directory.CreateTempSubdirectory("ao-cli-").FullName;
        var (json, yaml) = (NewId("wf"), NewId("wf"));
        await File.WriteAllTextAsync(Path.Combine(folder, "a.json"), new JsonObject { ["id"] = json, ["start"] = "a", ["nodes"] = new JsonObject { ["a"] = Node("test.count") } }.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(folder, "b.yaml"), $"id: {yaml}\nstart: a\nnodes:\n  a:\n    type: test.count\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a definition");

        var (exit, output) = await _cli.RunAsync("workflows", "publish", folder, "--output", "json");
        var (again, text) = await _cli.RunAsync("workflows", "publish", Path.Combine(folder, "a.json"));

        Assert.True(exit == ExitCodes.Ok, output);
        var published = JsonNode.Parse(output)!.AsArray();
        Assert.Equal([json, yaml], published.Select(p => p!["id"]!.GetValue<string>()));
        Assert.All(published, p => Assert.True(p!["created"]!.GetValue<bool>()));
        Assert.Equal(ExitCodes.Ok, again);
        Assert.Contains($"{json} version 1 unchanged", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunWatchPrintsEveryEventAndExitsWithTheRunsStatus()
    {
        var ok = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count"), ["b"] = Node("test.count") });
        var failing = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.flaky", new JsonObject { ["failures"] = 9, ["error"] = "Boom" }) });

        var (exit, output) = await _cli.RunAsync("run", ok, "--input", """{"n": 1}""", "--watch", "--output", "json");
        var (failed, text) = await _cli.RunAsync("run", failing, "--watch");

        Assert.Equal(ExitCodes.Ok, exit);
        var events = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e["seq"]!.GetValue<long>()));
        Assert.Equal("execution.completed", events[^1]["type"]!.GetValue<string>());
        Assert.Equal(ExitCodes.RunFailed, failed);
        Assert.Contains("node.failed a", text, StringComparison.Ordinal);
        Assert.Contains("ended failed", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowSignalCancelAndWatchActOnARun()
    {
        var workflow = await _api.PublishAsync(new JsonObject { ["ask"] = Node("wait", new JsonObject { ["signal"] = "go" }), ["then"] = Node("test.block") });
        var (_, started) = await _cli.RunAsync("run", workflow, "--output", "json");
        var id = JsonNode.Parse(started)!["id"]!.GetValue<string>();
        await Polling.UntilAsync(async () => JsonNode.Parse((await _cli.RunAsync("show", id, "-o", "json")).Output)!, s => s["status"]!.GetValue<string>() == "waiting", Deadline, TimeSpan.FromMilliseconds(20));

        var (shown, status) = await _cli.RunAsync("show", id);
        var (signalled, signal) = await _cli.RunAsync("signal", id, "go", """{"ok": true}""", "--idempotency-key", "k1");
        var (_, repeated) = await _cli.RunAsync("signal", id, "go", """{"ok": true}""", "--idempotency-key", "k1");
        await Polling.UntilAsync(async () => JsonNode.Parse((await _cli.RunAsync("show", id, "-o", "json")).Output)!, s => s["currentNode"]?["id"]?.GetValue<string>() == "then", Deadline, TimeSpan.FromMilliseconds(20));
        var (cancelled, cancel) = await _cli.RunAsync("cancel", id, "--reason", "done here");
        var (watched, _) = await _cli.RunAsync("watch", id, "--after", "2");

        Assert.Equal(ExitCodes.Ok, shown);
        Assert.Contains("signal 'go' at ask", status, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, signalled);
        Assert.Contains("go taken", signal, StringComparison.Ordinal);
        Assert.Contains("already taken", repeated, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, cancelled);
        Assert.Contains("cancel requested", cancel, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.RunCancelled, watched);
    }

    [Fact]
    public async Task ProblemsArePrintedWithTheirPointersAndExitNonZero()
    {
        var (missing, notFound) = await _cli.RunAsync("show", NewId("nope"));
        var (refused, problems) = await _cli.RunAsync("schedules", "put", NewId("s"), """{"workflowId": "", "every": "0s", "overlap": "sometimes"}""");
        var (refusedJson, problemJson) = await _cli.RunAsync("schedules", "put", NewId("s"), """{"every": "0s"}""", "--output", "json");
        var (notJson, notJsonText) = await _cli.RunAsync("run", "x", "--input", "{oops");
        var (usage, usageText) = await _cli.RunAsync("run");
        var (unreachable, unreachableText) = await new CliRunner(new Uri("http://127.0.0.1:1/")).RunAsync("show", "x");

        Assert.Equal((ExitCodes.Refused, ExitCodes.Refused, ExitCodes.Refused), (missing, refused, refusedJson));
        Assert.Contains("404", notFound, StringComparison.Ordinal);
        Assert.Contains("400", problems, StringComparison.Ordinal);
        Assert.Contains("/every", problems, StringComparison.Ordinal);
        Assert.Contains("/overlap", problems, StringComparison.Ordinal);
        Assert.Contains(JsonNode.Parse(problemJson)!["errors"]!.AsArray(), e => e!["pointer"]!.GetValue<string>() == "/workflowId");
        Assert.Equal(ExitCodes.Usage, notJson);
        Assert.Contains("is not JSON", notJsonText, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, usage);
        Assert.Contains("workflow", usageText, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Unreachable, unreachable);
        Assert.Contains("could not be reached", unreachableText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchedulesAreControlledFromTheCommandLine()
    {
        var workflow = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var id = NewId("sched");

        var (put, _) = await _cli.RunAsync("schedules", "put", id, $$"""{"workflowId": "{{workflow}}", "every": "1h"}""");
        var (_, fire) = await _cli.RunAsync("schedules", "trigger", id, "-o", "json");
        var (_, paused) = await _cli.RunAsync("schedules", "pause", id, "-o", "json");
        var (_, list) = await _cli.RunAsync("schedules", "list");
        var (deleted, _) = await _cli.RunAsync("schedules", "delete", id);
        var (gone, _) = await _cli.RunAsync("schedules", "show", id);

        Assert.Equal(ExitCodes.Ok, put);
        Assert.NotNull(JsonNode.Parse(fire)!["executionId"]);
        Assert.Equal("paused", JsonNode.Parse(paused)!["state"]!.GetValue<string>());
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, deleted);
        Assert.Equal(ExitCodes.Refused, gone);
    }

    [Fact]
    public async Task TheApiAndKeyComeFromTheEnvironmentWhenNotGiven()
    {
        var environment = new Dictionary<string, string> { [GlobalOptions.UrlVariable] = factory.CreateClient().BaseAddress!.ToString() };
        var console = new Spectre.Console.Testing.TestConsole();

        var exit = await CliApp.RunAsync(["show", NewId("nope")], console, name => environment.GetValueOrDefault(name));

        Assert.Equal(ExitCodes.Refused, exit);
        Assert.Contains("404", console.Output, StringComparison.Ordinal);
    }
}
