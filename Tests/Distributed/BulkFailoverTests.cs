using System.Text.Json.Nodes;
using AgentOrleans.Grains.Bulk;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

/// <summary>A bulk cancel whose silo is killed mid-way: a survivor resumes it from its cursor in PostgreSQL and counts each run once.</summary>
[Collection(DistributedCollection.Name)]
public sealed class BulkFailoverTests(DistributedFixture servers, ITestOutputHelper output)
{
    private const long Count = 200;

    [Fact]
    public async Task Kill9OfTheSiloRunningABulkCancelLosesNoRunAndCountsNoneTwice()
    {
        await using var cluster = await servers.StartClusterAsync(3, Membership.Tuned, output, new Dictionary<string, string>
        {
            ["AgentOrleans__Bulk__ActionsPerSecond"] = "20",
            ["AgentOrleans__Bulk__PageSize"] = "20",
            ["AgentOrleans__Bulk__MaxAttempts"] = "10",
            ["AgentOrleans__Bulk__RecoveryReminderPeriod"] = "00:00:02",
        });
        var workflowId = await PublishWaitAsync(cluster);
        var batch = $"batch-{Guid.NewGuid():N}";
        var ids = new List<string>();
        for (var i = 0; i < Count; i++)
        {
            var id = $"ex-{Guid.NewGuid():N}";
            var start = new StartExecution(workflowId, null, null) { Labels = new Dictionary<string, string> { ["batch"] = batch } };
            await DistributedRuns.RetryAsync(() => cluster.Client.GetGrain<IExecutionGrain>(id).StartAsync(start), $"starting {id}");
            ids.Add(id);
        }

        await using var database = new IndexDatabase(servers.Postgres);
        var index = new PostgresExecutionIndex(database);
        var filter = new ExecutionFilter(TenantKey.DefaultTenant) { Labels = new Dictionary<string, string> { ["batch"] = batch } };
        Assert.True(await DistributedRuns.PollAsync(TimeSpan.FromSeconds(30), async () => (await index.QueryAsync(filter, null, 500)).Items.Count == Count), "expected every run in the index");

        var operationId = $"bulk-{Guid.NewGuid():N}";
        var operation = cluster.Client.GetGrain<IBulkOperationGrain>(operationId);
        await DistributedRuns.RetryAsync(() => operation.StartAsync(new BulkRequest(BulkAction.Cancel, filter) { Reason = "failover test" }), "starting the bulk cancel");
        Assert.True(await DistributedRuns.PollAsync(TimeSpan.FromSeconds(30), async () => (await operation.GetAsync())!.Matched >= 40), "expected two pages before the kill");
        SiloProcess? victim = null;
        foreach (var silo in cluster.Silos)
        {
            if ((await cluster.ExecutionsOnAsync(silo, [operationId])).Count > 0)
            {
                victim = silo;
            }
        }

        Assert.True(victim is not null, "expected the operation active on one of the silos");
        var before = await operation.GetAsync();
        victim.Kill();

        BulkProgress? done = null;
        Assert.True(
            await DistributedRuns.PollAsync(TimeSpan.FromSeconds(120), async () => (done = await DistributedRuns.RetryAsync(operation.GetAsync, "reading the operation"))!.Completed),
            $"expected the operation to complete on a survivor; saw {done?.Matched} matched, {done?.Done} done\n{cluster.LogTails()}");
        var ended = await cluster.Runs.WaitAllTerminalAsync(ids, TimeSpan.FromSeconds(60));

        output.WriteLine($"killed the operation's silo at {before!.Matched} of {Count} matched; completed with {done!.Matched} matched, {done.Done} done, {done.Failed} failed");
        Assert.False(before.Completed);
        Assert.Equal((Count, Count, 0L, 0L), (done.Matched, done.Done, done.Skipped, done.Failed));
        Assert.All(ids, id => Assert.Equal(ExecutionStatus.Cancelled, ended[id].Status));
    }

    private static async Task<string> PublishWaitAsync(SiloCluster cluster)
    {
        var id = $"wf-{Guid.NewGuid():N}";
        var definition = new JsonObject
        {
            ["id"] = id,
            ["start"] = "ask",
            ["nodes"] = new JsonObject { ["ask"] = new JsonObject { ["type"] = "wait", ["with"] = new JsonObject { ["signal"] = "go" } } },
            ["edges"] = new JsonArray(),
        };
        var published = await DistributedRuns.RetryAsync(() => cluster.Client.GetGrain<IWorkflowDefinitionGrain>(id).PublishAsync(definition.ToJsonString()), $"publishing {id}");
        Assert.True(published.IsValid, string.Join("; ", published.Problems.Select(p => $"{p.Pointer}: {p.Message}")));
        return id;
    }
}
