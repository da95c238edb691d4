using System.Net;
using System.Text.Json.Nodes;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;
using static AgentOrleans.Tests.Tenants.TenantApiFactory;

namespace AgentOrleans.Tests.Tenants;

/// <summary>
/// One id, two tenants, two resources: workflows, executions (by Idempotency-Key), schedules and the executions they
/// fire. A run uses its tenant's workflows, its children are its tenant's, and no answer shows a tenant's prefix.
/// </summary>
[Collection(TenantApiCollection.Name)]
public sealed class TenantResourceTests(TenantApiFactory factory)
{
    private readonly ApiClient _acme = factory.As(Acme);
    private readonly ApiClient _globex = factory.As(Globex);

    private static JsonObject Says(string who) => new() { ["a"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["who"] = who } }) };

    [Fact]
    public async Task TheSameWorkflowIdInTwoTenantsIsTwoWorkflows()
    {
        var id = NewId("wf");
        await PublishNewAsync(_acme, id, Says(Acme));
        await PublishNewAsync(_globex, id, Says(Globex));

        var acme = await ApiClient.JsonAsync(await _acme.Http.GetAsync($"/v1/workflows/{id}"));
        var globex = await ApiClient.JsonAsync(await _globex.Http.GetAsync($"/v1/workflows/{id}"));
        var versions = await ApiClient.JsonAsync(await _globex.Http.GetAsync($"/v1/workflows/{id}/versions"));

        Assert.Equal(id, acme["id"]!.GetValue<string>());
        Assert.Contains(Acme, acme["definition"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Globex, acme["definition"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(Globex, globex["definition"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(1, globex["version"]!.GetValue<int>());
        Assert.Single(versions["versions"]!.AsArray());
        Assert.Equal(id, versions["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheSameIdempotencyKeyInTwoTenantsStartsTwoExecutionsEachOfItsTenantsWorkflow()
    {
        var workflowId = NewId("wf");
        await PublishNewAsync(_acme, workflowId, Says(Acme));
        await PublishNewAsync(_globex, workflowId, Says(Globex));
        var start = new JsonObject { ["workflowId"] = workflowId }.ToJsonString();
        var key = NewId("idem");

        var acmeStart = await ApiClient.JsonAsync(await _acme.PostJsonAsync("/v1/executions", start, key));
        var globexStart = await ApiClient.JsonAsync(await _globex.PostJsonAsync("/v1/executions", start, key));
        var id = acmeStart["id"]!.GetValue<string>();
        var acme = await _acme.WaitTerminalAsync(id);
        var globex = await _globex.WaitTerminalAsync(id);

        // The same id, as each caller knows it, and the link that reads it back.
        Assert.Equal(id, globexStart["id"]!.GetValue<string>());
        Assert.Equal($"/v1/executions/{id}", acmeStart["links"]!["self"]!.GetValue<string>());
        Assert.Equal(id, acme["id"]!.GetValue<string>());
        Assert.Equal("succeeded", acme["status"]!.GetValue<string>());
        Assert.Contains($"\"who\":\"{Acme}\"", acme["result"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains($"\"who\":\"{Globex}\"", globex["result"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChildrenAreTheirParentsTenantsAndRunItsWorkflows()
    {
        // Both tenants have a workflow `leaf`; acme's parent runs acme's, and only acme sees the child.
        var leaf = NewId("leaf");
        await PublishNewAsync(_acme, leaf, Says(Acme));
        await PublishNewAsync(_globex, leaf, Says(Globex));
        var parentId = NewId("parent");
        await PublishNewAsync(_acme, parentId, new JsonObject
        {
            ["sub"] = Node("subworkflow", new JsonObject { ["workflowId"] = leaf }),
            ["fan"] = Node("map", new JsonObject { ["items"] = "${{ input.items }}", ["workflowId"] = leaf }),
        });

        var id = await _acme.StartAsync(parentId, new JsonObject { ["items"] = new JsonArray(1, 2) });
        var parent = await _acme.WaitTerminalAsync(id);
        var childId = $"{id}:sub:1";
        var child = await ApiClient.JsonAsync(await _acme.Http.GetAsync($"/v1/executions/{childId}"));
        using var childForGlobex = await _globex.Http.GetAsync($"/v1/executions/{childId}");
        var merged = await ApiClient.JsonAsync(await _acme.Http.GetAsync($"/v1/executions/{id}/events?include=children&limit=1000"));
        var sse = await ApiClient.ReadEventsAsync(await _acme.OpenEventStreamAsync(id));

        Assert.Equal("succeeded", parent["status"]!.GetValue<string>());
        Assert.Contains($"\"who\":\"{Acme}\"", parent["result"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Globex, parent["result"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(childId, child["id"]!.GetValue<string>());
        Assert.Equal(id, child["parent"]!["executionId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, childForGlobex.StatusCode);

        // Every event's executionId, the child.started events' ids, and the SSE: bare ids, no tenant's prefix.
        var executionIds = merged["events"]!.AsArray().Select(e => e!["executionId"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(new HashSet<string> { id, childId, $"{id}:fan:1:0", $"{id}:fan:1:1" }, executionIds);
        Assert.DoesNotContain($"{Acme}/", merged.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain($"{Acme}/", string.Concat(sse.Select(e => e.Data)), StringComparison.Ordinal);
        Assert.DoesNotContain($"{Acme}/", parent.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(sse, e => e.EventType == "child.started" && JsonNode.Parse(e.Data)!["data"]!["executionId"]!.GetValue<string>() == childId);
    }

    [Fact]
    public async Task ASchedulesFiresRunInItsTenantUnderTheSameIds()
    {
        var workflowId = NewId("wf");
        await PublishNewAsync(_acme, workflowId, Says(Acme));
        await PublishNewAsync(_globex, workflowId, Says(Globex));
        var scheduleId = NewId("sched");
        var body = new JsonObject { ["workflowId"] = workflowId, ["every"] = "1h" }.ToJsonString();
        using var acmePut = await _acme.PutJsonAsync($"/v1/schedules/{scheduleId}", body);
        using var globexPut = await _globex.PutJsonAsync($"/v1/schedules/{scheduleId}", body);

        var acmeFire = await ApiClient.JsonAsync(await _acme.Http.PostAsync($"/v1/schedules/{scheduleId}/trigger", null));
        var globexFire = await ApiClient.JsonAsync(await _globex.Http.PostAsync($"/v1/schedules/{scheduleId}/trigger", null));
        var acmeRun = await _acme.WaitTerminalAsync(acmeFire["executionId"]!.GetValue<string>());
        var globexRun = await _globex.WaitTerminalAsync(globexFire["executionId"]!.GetValue<string>());
        var schedule = await ApiClient.JsonAsync(await _acme.Http.GetAsync($"/v1/schedules/{scheduleId}"));

        Assert.Equal(HttpStatusCode.Created, acmePut.StatusCode);
        Assert.Equal(HttpStatusCode.Created, globexPut.StatusCode);
        Assert.StartsWith($"sched:{scheduleId}:", acmeFire["executionId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"/v1/executions/{Uri.EscapeDataString(acmeFire["executionId"]!.GetValue<string>())}", acmeFire["execution"]!.GetValue<string>());
        Assert.Contains($"\"who\":\"{Acme}\"", acmeRun["result"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains($"\"who\":\"{Globex}\"", globexRun["result"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(scheduleId, schedule["id"]!.GetValue<string>());
        Assert.Equal($"/v1/schedules/{scheduleId}", schedule["links"]!["self"]!.GetValue<string>());
        Assert.DoesNotContain($"{Acme}/", schedule.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain($"{Acme}/", acmeFire.ToJsonString(), StringComparison.Ordinal);

        await _acme.Http.DeleteAsync($"/v1/schedules/{scheduleId}");
        using var stillGlobex = await _globex.Http.GetAsync($"/v1/schedules/{scheduleId}");
        Assert.Equal(HttpStatusCode.OK, stillGlobex.StatusCode);
        await _globex.Http.DeleteAsync($"/v1/schedules/{scheduleId}");
    }

    [Fact]
    public async Task AScheduleCannotNameAnotherTenantsWorkflow()
    {
        var workflowId = NewId("wf");
        await PublishNewAsync(_acme, workflowId, Says(Acme));

        using var put = await _globex.PutJsonAsync($"/v1/schedules/{NewId("sched")}", new JsonObject { ["workflowId"] = workflowId, ["every"] = "1h" }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("/workflowId", await ApiClient.ProblemPointersAsync(put));
    }
}
