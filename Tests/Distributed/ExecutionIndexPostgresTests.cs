using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Retention;
using AgentOrleans.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

/// <summary>
/// The index, catalog and tombstones on real PostgreSQL: the SQL of every filter, keyset pages across concurrent
/// inserts, the revision guard; and silo processes writing rows that a delete removes with the run's state.
/// Each test writes under its own tenant, so rows of other tests (and runs) are never in its way.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class ExecutionIndexPostgresTests(DistributedFixture servers, ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _tenant = $"t{Guid.NewGuid():N}";

    // One pool for the test process (the fixture's database never changes within it).
    private static IndexDatabase? sSharedDatabase;

    private IndexDatabase SharedDatabase => sSharedDatabase ??= new IndexDatabase(servers.Postgres);

    private PostgresExecutionIndex IndexTable => new(SharedDatabase);

    private ExecutionSummary Row(string id, int minute, ExecutionStatus status = ExecutionStatus.Running, string workflow = "w", long revision = 1) =>
        new(_tenant, id, workflow, 1, status, T0.AddMinutes(minute), revision);

    private static string Show(IReadOnlyDictionary<ExecutionStatus, long> counts) => string.Join(",", counts.OrderBy(c => c.Key.ToString(), StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));

    private async Task<string[]> IdsAsync(ExecutionFilter filter) => [.. (await IndexTable.QueryAsync(filter, null, 100)).Items.Select(r => r.Id)];

    [Fact]
    public async Task EveryFilterRunsAsSqlAndAStaleUpsertChangesNothing()
    {
        await IndexTable.UpsertAsync(Row("plain", 0));
        await IndexTable.UpsertAsync(Row("done", 1, ExecutionStatus.Succeeded) with { CompletedAt = T0.AddMinutes(2), ErrorType = null, ExpiresAt = T0.AddDays(7) });
        await IndexTable.UpsertAsync(Row("other-wf", 2, workflow: "v"));
        await IndexTable.UpsertAsync(Row("child", 3) with { Parent = "plain" });
        await IndexTable.UpsertAsync(Row("fired", 4) with { Schedule = "nightly" });
        await IndexTable.UpsertAsync(Row("labelled", 5) with { Labels = new Dictionary<string, string> { ["team"] = "search", ["env"] = "prod" } });
        await IndexTable.UpsertAsync(Row("done", 1, ExecutionStatus.Running, revision: 0)); // stale

        var all = new ExecutionFilter(_tenant);
        Assert.Equal(["labelled", "fired", "child", "other-wf", "done", "plain"], await IdsAsync(all));
        Assert.Equal(["done"], await IdsAsync(all with { Statuses = [ExecutionStatus.Succeeded] }));
        Assert.Equal(["done", "plain"], await IdsAsync(all with { Statuses = [ExecutionStatus.Succeeded, ExecutionStatus.Running], CreatedBefore = T0.AddMinutes(2) }));
        Assert.Equal(["other-wf"], await IdsAsync(all with { WorkflowId = "v", Statuses = [ExecutionStatus.Running] }));
        Assert.Equal(["fired", "child"], await IdsAsync(all with { CreatedAfter = T0.AddMinutes(3), CreatedBefore = T0.AddMinutes(5) }));
        Assert.Equal(["child"], await IdsAsync(all with { Parent = "plain" }));
        Assert.Equal(["fired"], await IdsAsync(all with { Schedule = "nightly" }));
        Assert.Equal(["labelled"], await IdsAsync(all with { Labels = new Dictionary<string, string> { ["team"] = "search" } }));
        Assert.Empty(await IdsAsync(all with { Labels = new Dictionary<string, string> { ["team"] = "ads" } }));
        Assert.Empty(await IdsAsync(new ExecutionFilter(_tenant + "x")));

        // The counts are one GROUP BY under the same WHERE as the listing.
        Assert.Equal("Running=5,Succeeded=1", Show(await IndexTable.CountAsync(all)));
        Assert.Equal("Running=2", Show(await IndexTable.CountAsync(all with { CreatedAfter = T0.AddMinutes(3), CreatedBefore = T0.AddMinutes(5) })));
        Assert.Equal("Running=1", Show(await IndexTable.CountAsync(all with { Labels = new Dictionary<string, string> { ["team"] = "search" } })));
        Assert.Empty(await IndexTable.CountAsync(new ExecutionFilter(_tenant + "x")));

        var done = await IndexTable.GetAsync(_tenant, "done");
        Assert.Equal(ExecutionStatus.Succeeded, done!.Status);
        Assert.Equal(T0.AddDays(7), done.ExpiresAt);
        Assert.Contains(await IndexTable.ExpiredAsync(T0.AddDays(8), 10_000), r => r.Tenant == _tenant && r.Id == "done");
        await IndexTable.DeleteAsync(_tenant, "done");
        Assert.Null(await IndexTable.GetAsync(_tenant, "done"));
    }

    [Fact]
    public async Task PagesAcrossConcurrentInsertsShowEveryEarlierRowOnce()
    {
        var before = Enumerable.Range(0, 57).Select(i => Row($"r{i:D3}", i / 3)).ToList(); // three to a minute: ties broken by id
        foreach (var row in before)
        {
            await IndexTable.UpsertAsync(row);
        }

        using var stop = new CancellationTokenSource();
        var inserting = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await IndexTable.UpsertAsync(Row($"new{i:D4}", 1000 + i));
                await IndexTable.UpsertAsync(Row($"old{i:D4}", -1 - i)); // older than any page shown: listed at the end, once
            }
        });

        var seen = new List<string>();
        ExecutionCursor? cursor = null;
        do
        {
            var page = await IndexTable.QueryAsync(new ExecutionFilter(_tenant), cursor, 5);
            seen.AddRange(page.Items.Select(r => r.Id));
            cursor = page.Next;
        }
        while (cursor is not null && seen.Count < 5000);

        await stop.CancelAsync();
        await inserting;
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(before.Select(r => r.Id).Except(seen));
    }

    [Fact]
    public async Task TombstonesAndTheCatalogKeepTheirRows()
    {
        var tombstones = new PostgresExecutionTombstones(SharedDatabase);
        await tombstones.AddAsync(_tenant, "gone", T0, T0.AddDays(1));
        Assert.Equal(T0, await tombstones.DeletedAtAsync(_tenant, "gone", T0.AddHours(1)));
        Assert.Null(await tombstones.DeletedAtAsync(_tenant, "gone", T0.AddDays(2)));
        Assert.True(await tombstones.PurgeAsync(T0.AddDays(2), 10_000) >= 1);

        var catalog = new PostgresWorkflowCatalog(SharedDatabase);
        await catalog.UpsertAsync(new WorkflowSummary(_tenant, "b", 2, "bee", T0));
        await catalog.UpsertAsync(new WorkflowSummary(_tenant, "b", 1, "stale", T0));
        await catalog.UpsertAsync(new WorkflowSummary(_tenant, "a", 1, null, T0));
        var first = await catalog.ListAsync(_tenant, null, 1);
        var second = await catalog.ListAsync(_tenant, first.Next, 1);
        Assert.Equal(["a"], first.Items.Select(w => w.Id));
        Assert.Equal(new WorkflowSummary(_tenant, "b", 2, "bee", T0), Assert.Single(second.Items));
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task SiloProcessesIndexTheirRunsAndADeleteRemovesStateRowAndLeavesATombstone()
    {
        await using var cluster = await servers.StartClusterAsync(2, Membership.Tuned, output);
        var runs = cluster.Runs;
        var workflowId = await runs.PublishDelayChainAsync(delays: 2, duration: "50ms");
        var ids = await runs.StartManyAsync(workflowId, 6);
        await runs.WaitAllTerminalAsync(ids, TimeSpan.FromSeconds(60));

        var rows = await Polling.UntilAsync(
            async () => (await IndexTable.QueryAsync(new ExecutionFilter("default") { WorkflowId = workflowId }, null, 100)).Items,
            items => items.Count == ids.Count && items.All(r => r.Status == ExecutionStatus.Succeeded && r.ExpiresAt is not null),
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(100));
        Assert.Equal(ids.Order(StringComparer.Ordinal), rows.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(r.CompletedAt + TimeSpan.FromDays(7), r.ExpiresAt));

        var deleted = ids[0];
        Assert.Equal(DeleteOutcome.Deleted, await cluster.Client.GetGrain<IExecutionGrain>(deleted).DeleteAsync());
        Assert.Null(await runs.GetAsync(deleted));
        Assert.Null(await IndexTable.GetAsync("default", deleted));
        Assert.NotNull(await new PostgresExecutionTombstones(SharedDatabase).DeletedAtAsync("default", deleted, DateTimeOffset.UtcNow));
        Assert.NotNull(await runs.GetAsync(ids[1]));
    }
}
