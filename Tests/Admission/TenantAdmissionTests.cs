using System.Text.Json.Nodes;
using AgentOrleans.Grains.Admission;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Admission;

/// <summary>A tenant's <c>MaxActiveExecutions</c> (the test cluster gives <see cref="QuotaTenants.Capped"/> 2): counted by the tenant of each execution's key.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TenantAdmissionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ATenantsStartsBeyondItsBoundAreRefusedWhileOtherTenantsAreNot()
    {
        var admission = fixture.Grains.GetGrain<IAdmissionGrain>(NewId("admission"));
        var capped = QuotaTenants.Capped;

        var admitted = new[] { await admission.TryAdmitAsync($"{capped}/one", "wf"), await admission.TryAdmitAsync($"{capped}/two", "other") };
        var refused = await admission.TryAdmitAsync($"{capped}/three", "wf");
        var otherTenant = await admission.TryAdmitAsync("acme/three", "wf");
        var defaultTenant = await admission.TryAdmitAsync("three", "wf");
        var counts = await admission.GetCountsAsync();
        await admission.ReleaseAsync($"{capped}/one");
        var afterRelease = await admission.TryAdmitAsync($"{capped}/three", "wf");

        Assert.All(admitted, a => Assert.True(a.Admitted));
        Assert.False(refused.Admitted);
        Assert.Contains($"tenant '{capped}'", refused.Reason, StringComparison.Ordinal);
        Assert.Contains($"AgentOrleans:Tenants:{capped}:MaxActiveExecutions 2", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.RetryAfter);
        Assert.True(otherTenant.Admitted);
        Assert.True(defaultTenant.Admitted);
        Assert.Equal(2, counts.PerTenant[capped]);
        Assert.Equal(1, counts.PerTenant[TenantKey.DefaultTenant]);
        Assert.True(afterRelease.Admitted);
    }

    [Fact]
    public async Task AnExecutionOfACappedTenantIsRefusedAsOverloadedAndAdmittedOnceOneOfItsRunsEnds()
    {
        var runs = new Runs(fixture.Grains);
        var workflow = await runs.PublishAsync(new JsonObject { ["wait"] = Node("test.block") });
        await PublishInTenantAsync(workflow);
        var first = await runs.StartAsync(workflow, executionId: $"{QuotaTenants.Capped}/{NewId("ex")}");
        var second = await runs.StartAsync(workflow, executionId: $"{QuotaTenants.Capped}/{NewId("ex")}");
        var third = fixture.Grains.GetGrain<IExecutionGrain>($"{QuotaTenants.Capped}/{NewId("ex")}");

        var refused = await third.StartAsync(new StartExecution(workflow, null, null));
        var elsewhere = await fixture.Grains.GetGrain<IExecutionGrain>(NewId("ex")).StartAsync(new StartExecution(workflow, null, null));
        await first.CancelAsync("test");
        await TerminalAsync(first);
        // The slot is given back just after the end is durable: asked again until it is.
        var admitted = await Polling.UntilAsync(() => third.StartAsync(new StartExecution(workflow, null, null)), r => r.Outcome != StartOutcome.Overloaded, Deadline, TimeSpan.FromMilliseconds(20));
        foreach (var run in new[] { second, third, fixture.Grains.GetGrain<IExecutionGrain>(elsewhere.Execution!.Id) })
        {
            await run.CancelAsync("test");
        }

        Assert.Equal(StartOutcome.Overloaded, refused.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.RetryAfter);
        Assert.Contains(QuotaTenants.Capped, refused.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal(StartOutcome.Started, elsewhere.Outcome);
        Assert.Equal(StartOutcome.Started, admitted.Outcome);
    }

    // Where a tenant's executions find their workflows under the tenant's own keys, the workflow is there too; where
    // workflows are not scoped yet, this publish is refused (its key is not its id) and the bare one serves.
    private async Task PublishInTenantAsync(string workflow)
    {
        var definition = await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(workflow).GetAsync(null);
        await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(TenantKey.Scope(QuotaTenants.Capped, workflow)).PublishAsync(definition!.DefinitionJson);
    }
}
