using System.Text.Json.Nodes;
using AgentOrleans.Grains.Bulk;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Bulk;

/// <summary>The bulk operation grain on a cluster: it resumes from its checkpointed cursor when its activation is lost mid-way.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BulkOperationTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    [Fact]
    public async Task AnOperationWhoseActivationIsLostMidWayResumesFromItsCursorAndCountsEachExecutionOnce()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["busy"] = Node("test.block") });
        var batch = NewId("batch");
        var executions = new List<IExecutionGrain>();
        for (var i = 0; i < 300; i++)
        {
            var execution = fixture.Grains.GetGrain<IExecutionGrain>(NewId("ex"));
            Assert.Equal(StartOutcome.Started, (await execution.StartAsync(new StartExecution(workflowId, null, null) { Labels = new Dictionary<string, string> { ["batch"] = batch } })).Outcome);
            executions.Add(execution);
        }

        var index = fixture.Cluster.Silos.Cast<Orleans.TestingHost.InProcessSiloHandle>().First().SiloHost.Services.GetRequiredService<IExecutionIndex>();
        var filter = new ExecutionFilter(TenantKey.DefaultTenant) { Labels = new Dictionary<string, string> { ["batch"] = batch } };
        Assert.True(await Polling.UntilAsync(async () => (await index.QueryAsync(filter, null, 500)).Items.Count == 300, Deadline, TimeSpan.FromMilliseconds(50)));
        var operation = fixture.Grains.GetGrain<IBulkOperationGrain>(NewId("bulk"));

        await operation.StartAsync(new BulkRequest(BulkAction.Cancel, filter));
        var midWay = await Polling.UntilAsync(operation.GetAsync, p => p!.Matched > 0, Deadline, TimeSpan.FromMilliseconds(10));
        await operation.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var done = await Polling.UntilAsync(operation.GetAsync, p => p!.Completed, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));

        Assert.False(midWay!.Completed);
        Assert.True(done!.Completed, $"expected the operation to complete; saw {done.Matched} matched, {done.Done} done");
        Assert.Equal((300L, 300L, 0L, 0L), (done.Matched, done.Done, done.Skipped, done.Failed));
        foreach (var execution in executions)
        {
            Assert.Equal(ExecutionStatus.Cancelled, (await TerminalAsync(execution)).Status);
        }
    }

    [Fact]
    public void TheFilterAnOperationWalksEndsAtItsCreation()
    {
        var created = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
        var open = new ExecutionFilter("t") { WorkflowId = "w" };
        var earlier = open with { CreatedBefore = created.AddDays(-1) };
        var later = open with { CreatedBefore = created.AddDays(1) };

        Assert.Equal(created, BulkFilter.Frozen(open, created).CreatedBefore);
        Assert.Equal(created.AddDays(-1), BulkFilter.Frozen(earlier, created).CreatedBefore);
        Assert.Equal(created, BulkFilter.Frozen(later, created).CreatedBefore);
        Assert.Equal("w", BulkFilter.Frozen(open, created).WorkflowId);
    }

    [Fact]
    public void TheSameRequestHasTheSameHashAndAnyDifferenceAnother()
    {
        var filter = new ExecutionFilter("t") { Statuses = [ExecutionStatus.Failed], Labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } };
        var request = new BulkRequest(BulkAction.Rerun, filter) { By = "alice" };

        Assert.Equal(request.Hash(), (request with { By = "bob", Filter = filter with { Labels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" } } }).Hash());
        Assert.NotEqual(request.Hash(), (request with { FromNode = "n" }).Hash());
        Assert.NotEqual(request.Hash(), (request with { Action = BulkAction.Cancel }).Hash());
        Assert.NotEqual(request.Hash(), (request with { Filter = filter with { Tenant = "u" } }).Hash());
    }
}
