using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Usage;

/// <summary>Budgets and usage over HTTP: a bad budget is a 400 naming each problem, in a start and in a definition; status shows both.</summary>
[Collection(ApiCollection.Name)]
public sealed class BudgetApiTests(ApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task AStartWithABadBudgetIsRefusedWithAPointerForEachProblem()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });

        var response = await _api.PostJsonAsync("/v1/executions", $$$"""{"workflowId": "{{{workflowId}}}", "budget": {"tokens": 0, "cost": "lots", "onBudget": "later", "when": 1}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["/budget/cost", "/budget/onBudget", "/budget/tokens", "/budget/when"], (await ApiClient.ProblemPointersAsync(response)).Order());
    }

    [Fact]
    public async Task ADefinitionWithABadBudgetIsRefusedWithItsPointers()
    {
        var id = NewId("wf");
        var definition = $$$"""{"id": "{{{id}}}", "start": "a", "nodes": {"a": {"type": "test.count"}}, "budget": {"tokens": 2.5, "cost": -1}}""";

        var response = await _api.PutJsonAsync($"/v1/workflows/{id}", definition);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["/budget/cost", "/budget/tokens"], (await ApiClient.ProblemPointersAsync(response)).Order());
    }

    [Fact]
    public async Task StatusShowsTheBudgetInForceAndTheUsageSoFar()
    {
        var workflowId = await _api.PublishAsync(new JsonObject { ["a"] = Node("test.count") });
        var response = await _api.PostJsonAsync("/v1/executions", $$$"""{"workflowId": "{{{workflowId}}}", "budget": {"tokens": 200000, "cost": 2.50}}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var done = await _api.WaitTerminalAsync((await ApiClient.JsonAsync(response))["id"]!.GetValue<string>());

        Assert.Equal(200000, done["budget"]!["tokens"]!.GetValue<long>());
        Assert.Equal(2.5m, done["budget"]!["cost"]!.GetValue<decimal>());
        Assert.Equal("fail", done["budget"]!["onBudget"]!.GetValue<string>());
        Assert.Equal(0, done["usage"]!["totalTokens"]!.GetValue<long>());
        Assert.Empty(done["usage"]!["models"]!.AsObject());
    }
}
