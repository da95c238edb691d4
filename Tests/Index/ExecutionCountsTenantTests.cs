using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;
using AgentOrleans.Tests.Infrastructure;
using AgentOrleans.Tests.Tenants;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrleans.Tests.Tenants.TenantApiFactory;

namespace AgentOrleans.Tests.Index;

/// <summary>The counts, like the listing, are of the caller's tenant only.</summary>
[Collection(TenantApiCollection.Name)]
public sealed class ExecutionCountsTenantTests(TenantApiFactory factory)
{
    [Fact]
    public async Task EachTenantCountsOnlyItsOwnExecutions()
    {
        var index = factory.Services.GetRequiredService<IExecutionIndex>();
        var workflow = Runs.NewId("wf");
        var now = DateTimeOffset.UtcNow;
        await index.UpsertAsync(new ExecutionSummary(Acme, Runs.NewId("a"), workflow, 1, ExecutionStatus.Failed, now, 1));
        await index.UpsertAsync(new ExecutionSummary(Acme, Runs.NewId("a"), workflow, 1, ExecutionStatus.Failed, now, 1));
        await index.UpsertAsync(new ExecutionSummary(Globex, Runs.NewId("g"), workflow, 1, ExecutionStatus.Waiting, now, 1));

        var acme = await ApiClient.JsonAsync(await factory.As(Acme).Http.GetAsync($"/v1/executions/counts?workflowId={workflow}"));
        var globex = await ApiClient.JsonAsync(await factory.As(Globex).Http.GetAsync($"/v1/executions/counts?workflowId={workflow}"));

        Assert.Equal(2, acme["counts"]!["failed"]!.GetValue<long>());
        Assert.Equal(0, acme["counts"]!["waiting"]!.GetValue<long>());
        Assert.Equal(2, acme["total"]!.GetValue<long>());
        Assert.Equal(1, globex["counts"]!["waiting"]!.GetValue<long>());
        Assert.Equal(0, globex["counts"]!["failed"]!.GetValue<long>());
        Assert.Equal(1, globex["total"]!.GetValue<long>());
    }
}
