using System.Text.Json.Nodes;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Tenants;

/// <summary>A tenant's definition limits (the test cluster gives <see cref="QuotaTenants.Small"/> 2 nodes and 400 bytes), checked at publish.</summary>
[Collection(ClusterCollection.Name)]
public sealed class QuotaDefinitionTests(ClusterFixture fixture)
{
    private static string Definition(string id, int nodes, int padding = 0)
    {
        var all = new JsonObject();
        for (var i = 0; i < nodes; i++)
        {
            all[$"n{i}"] = new JsonObject { ["type"] = "test.count", ["with"] = new JsonObject { ["pad"] = new string('x', padding) } };
        }

        var edges = new JsonArray(Enumerable.Range(1, nodes - 1).Select(i => (JsonNode)new JsonObject { ["from"] = $"n{i - 1}", ["to"] = $"n{i}" }).ToArray());
        return new JsonObject { ["id"] = id, ["start"] = "n0", ["nodes"] = all, ["edges"] = edges }.ToJsonString();
    }

    [Fact]
    public async Task ADefinitionWithMoreNodesThanItsTenantAllowsIsRefusedAtNodes()
    {
        var id = NewId("wf");

        var refused = await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(TenantKey.Scope(QuotaTenants.Small, id)).PublishAsync(Definition(id, nodes: 3));
        var unlimited = await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(id).PublishAsync(Definition(id, nodes: 3));

        var problem = Assert.Single(refused.Problems);
        Assert.Equal("/nodes", problem.Pointer);
        Assert.Contains($"AgentOrleans:Tenants:{QuotaTenants.Small}:MaxNodes", problem.Message, StringComparison.Ordinal);
        Assert.True(unlimited.IsValid, string.Join("; ", unlimited.Problems.Select(p => p.Message)));
    }

    [Fact]
    public async Task ADefinitionLargerThanItsTenantAllowsIsRefusedBeforeItIsRead()
    {
        var id = NewId("wf");
        var large = Definition(id, nodes: 1, padding: 400);

        var refused = await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(TenantKey.Scope(QuotaTenants.Small, id)).PublishAsync(large);
        var garbage = await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(TenantKey.Scope(QuotaTenants.Small, id)).PublishAsync("{" + new string('"', 500));
        var unlimited = await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(id).PublishAsync(large);

        var problem = Assert.Single(refused.Problems);
        Assert.Equal("", problem.Pointer);
        Assert.Contains("more than the tenant's limit of 400", problem.Message, StringComparison.Ordinal);
        Assert.Contains("MaxDefinitionBytes", Assert.Single(garbage.Problems).Message, StringComparison.Ordinal);
        Assert.True(unlimited.IsValid, string.Join("; ", unlimited.Problems.Select(p => p.Message)));
    }
}
