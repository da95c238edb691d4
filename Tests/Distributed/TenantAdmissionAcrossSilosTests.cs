using AgentOrleans.Grains.Admission;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

/// <summary>A tenant's bound on active executions is one cluster-wide count: whichever silo a start lands on, and after a silo is lost.</summary>
[Collection(DistributedCollection.Name)]
public sealed class TenantAdmissionAcrossSilosTests(DistributedFixture servers, ITestOutputHelper output)
{
    private const string Tenant = "acme";

    [Fact]
    public async Task ATenantsBoundHoldsAcrossSilosAndAfterOneIsKilled()
    {
        // One-minute delays stay in memory (ParkAfter 5 min), so a run on the killed silo is in flight and resumes on the survivor.
        await using var cluster = await servers.StartClusterAsync(2, Membership.Tuned, output, new Dictionary<string, string>
        {
            [$"AgentOrleans__Tenants__{Tenant}__MaxActiveExecutions"] = "2",
            ["AgentOrleans__Executions__ParkAfter"] = "00:05:00",
        });
        var runs = cluster.Runs;
        var workflowId = await runs.PublishDelayChainAsync(delays: 1, duration: "60s");
        await PublishInTenantAsync(cluster, workflowId);
        var silos = (await cluster.ActiveSilosAsync()).OrderBy(s => s.Key).Select(s => s.Value).ToList();
        var running = new List<string>();
        foreach (var silo in silos)
        {
            var id = TenantKey.Scope(Tenant, $"ex-{Guid.NewGuid():N}");
            var started = await StartOnAsync(cluster, id, workflowId, silo);
            Assert.Equal(StartOutcome.Started, started.Outcome);
            running.Add(id);
        }

        var refusedOnEach = new List<StartOutcome>();
        foreach (var silo in silos)
        {
            refusedOnEach.Add((await StartOnAsync(cluster, TenantKey.Scope(Tenant, $"ex-{Guid.NewGuid():N}"), workflowId, silo)).Outcome);
        }

        var otherTenant = await StartOnAsync(cluster, $"ex-{Guid.NewGuid():N}", workflowId, silos[0]);
        cluster.Silos[0].Kill();
        var admission = cluster.Client.GetGrain<IAdmissionGrain>(IAdmissionGrain.GlobalKey);
        var counted = await DistributedRuns.PollAsync(TimeSpan.FromSeconds(60), async () =>
            (await DistributedRuns.RetryAsync(() => admission.GetCountsAsync(), "reading the admission counts")).PerTenant.GetValueOrDefault(Tenant) == 2
            && (await Task.WhenAll(running.Select(runs.GetAsync))).All(s => s is { Status: ExecutionStatus.Running }));
        var refusedAfter = await DistributedRuns.RetryAsync(
            () => cluster.Client.GetGrain<IExecutionGrain>(TenantKey.Scope(Tenant, $"ex-{Guid.NewGuid():N}")).StartAsync(new StartExecution(workflowId, null, null)),
            "starting one more execution of the tenant");

        Assert.All(refusedOnEach, o => Assert.Equal(StartOutcome.Overloaded, o));
        Assert.Equal(StartOutcome.Started, otherTenant.Outcome);
        Assert.True(counted, $"expected both of the tenant's runs counted and running after the kill\n{cluster.LogTails()}");
        Assert.Equal(StartOutcome.Overloaded, refusedAfter.Outcome);
    }

    private static Task<StartResult> StartOnAsync(SiloCluster cluster, string id, string workflowId, SiloAddress silo) =>
        DistributedRuns.OnSiloAsync(silo, () => cluster.Client.GetGrain<IExecutionGrain>(id).StartAsync(new StartExecution(workflowId, null, null)));

    // Where executions find their workflows under their tenant's keys, the workflow is there too; where workflows are not
    // scoped yet, this publish is refused (its key is not its id) and the bare one serves.
    private static async Task PublishInTenantAsync(SiloCluster cluster, string workflowId)
    {
        var definition = await DistributedRuns.RetryAsync(() => cluster.Client.GetGrain<IWorkflowDefinitionGrain>(workflowId).GetAsync(null), "reading the definition");
        await DistributedRuns.RetryAsync(() => cluster.Client.GetGrain<IWorkflowDefinitionGrain>(TenantKey.Scope(Tenant, workflowId)).PublishAsync(definition!.DefinitionJson), "publishing in the tenant");
    }
}
