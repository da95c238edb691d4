using System.Text.Json.Nodes;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Pools;

/// <summary>A node's <c>needs</c> of a pool configured nowhere is refused at publish instead of running unlimited.</summary>
[Collection(ClusterCollection.Name)]
public sealed class UnconfiguredNeedsTests(ClusterFixture fixture)
{
    private static string Definition(string id, string pool) => new JsonObject
    {
        ["id"] = id,
        ["start"] = "work",
        ["nodes"] = new JsonObject { ["work"] = new JsonObject { ["type"] = "test.count", ["needs"] = new JsonObject { [pool] = 1, ["test:one"] = 1 } } },
    }.ToJsonString();

    [Fact]
    public async Task ANeedOfAPoolConfiguredNowhereIsRefusedWithItsPointer()
    {
        var id = NewId("wf");

        var refused = await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(id).PublishAsync(Definition(id, "gpu:nowhere"));
        var accepted = await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(id).PublishAsync(Definition(id, "test-silo"));

        Assert.False(refused.IsValid);
        var problem = Assert.Single(refused.Problems);
        Assert.Equal("/nodes/work/needs/gpu:nowhere", problem.Pointer);
        Assert.Contains("test:one", problem.Message, StringComparison.Ordinal);
        Assert.True(accepted.IsValid, string.Join("; ", accepted.Problems.Select(p => $"{p.Pointer}: {p.Message}")));
    }
}
