using System.Text.Json.Nodes;
using AgentOrleans.Cli;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Cli;

/// <summary><c>executions list</c>, <c>workflows list</c> and <c>rerun</c> against the real embedded Api.</summary>
[Collection(ApiCollection.Name)]
public sealed class CliListingCommandTests(ApiFactory factory)
{
    private readonly CliRunner _cli = new(factory.CreateClient().BaseAddress!);
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task ExecutionsListFiltersByLabelAndStatusAndWorkflowsListShowsTheLatestVersion()
    {
        var workflow = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var batch = NewId("batch");
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var started = await _api.PostJsonAsync("/v1/executions", new JsonObject { ["workflowId"] = workflow, ["labels"] = new JsonObject { ["batch"] = batch } }.ToJsonString());
            ids.Add((await ApiClient.JsonAsync(started))["id"]!.GetValue<string>());
        }

        var listed = await Polling.UntilAsync(
            async () => await _cli.RunAsync("executions", "list", "--label", $"batch:{batch}", "--status", "succeeded", "-o", "json"),
            r => r.Exit == ExitCodes.Ok && JsonNode.Parse(r.Output)!.AsArray().Count == 2,
            Deadline,
            TimeSpan.FromMilliseconds(100));
        var (limited, one) = await _cli.RunAsync("executions", "list", "--label", $"batch:{batch}", "--limit", "1", "-o", "json");
        var (_, table) = await _cli.RunAsync("executions", "list", "--workflow", workflow);
        var (badLabel, _) = await _cli.RunAsync("executions", "list", "--label", "nocolon");
        var (_, workflows) = await _cli.RunAsync("workflows", "list", "-o", "json");

        Assert.Equal(ids.AsEnumerable().Reverse(), JsonNode.Parse(listed.Output)!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
        Assert.Equal(ExitCodes.Ok, limited);
        Assert.Equal(ids[^1], Assert.Single(JsonNode.Parse(one)!.AsArray())!["id"]!.GetValue<string>());
        Assert.All(ids, id => Assert.Contains(id, table, StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Usage, badLabel);
        var entry = Assert.Single(JsonNode.Parse(workflows)!.AsArray(), w => w!["id"]!.GetValue<string>() == workflow)!;
        Assert.Equal(1, entry["latestVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task RerunStartsANewExecutionFromTheFailedNode()
    {
        var workflow = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count"), ["b"] = Node("test.flaky", new JsonObject { ["failures"] = 9, ["error"] = "Boom" }) });
        var original = await _api.StartAsync(workflow);
        await Polling.UntilAsync(
            async () => (await ApiClient.JsonAsync(await _api.Http.GetAsync($"/v1/executions/{original}")))["status"]!.GetValue<string>() == "failed",
            Deadline,
            TimeSpan.FromMilliseconds(50));

        var (exit, output) = await _cli.RunAsync("rerun", original, "-o", "json");
        var (unknown, problem) = await _cli.RunAsync("rerun", original, "--from-node", "nope");

        Assert.Equal(ExitCodes.Ok, exit);
        var rerun = JsonNode.Parse(output)!;
        Assert.Equal((original, "b"), (rerun["rerunOf"]!.GetValue<string>(), rerun["fromNode"]!.GetValue<string>()));
        Assert.Equal(ExitCodes.Refused, unknown);
        Assert.Contains("/fromNode", problem, StringComparison.Ordinal);
    }
}
