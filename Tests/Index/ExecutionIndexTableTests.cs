using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;

namespace AgentOrleans.Tests.Index;

/// <summary>The in-memory index's rows: the revision guard, every filter, the listing order and the cursor.</summary>
public sealed class ExecutionIndexTableTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static ExecutionSummary Row(string id, int minute, ExecutionStatus status = ExecutionStatus.Running, long revision = 1, string tenant = "default", string workflow = "w") =>
        new(tenant, id, workflow, 1, status, T0.AddMinutes(minute), revision);

    [Fact]
    public void AStaleUpsertNeverOverwritesANewerOne()
    {
        var table = new ExecutionIndexTable();
        table.Upsert(Row("a", 0, ExecutionStatus.Succeeded, revision: 5));
        table.Upsert(Row("a", 0, ExecutionStatus.Running, revision: 3));

        Assert.Equal(ExecutionStatus.Succeeded, table.Get("default", "a")!.Status);
        table.Upsert(Row("a", 0, ExecutionStatus.Failed, revision: 6));
        Assert.Equal(ExecutionStatus.Failed, table.Get("default", "a")!.Status);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void EveryFilterSelectsOnlyItsRowsAndOnlyTheTenantsOwn()
    {
        var table = new ExecutionIndexTable();
        table.Upsert(Row("plain", 0));
        table.Upsert(Row("done", 1, ExecutionStatus.Succeeded));
        table.Upsert(Row("other-wf", 2, workflow: "v"));
        table.Upsert(Row("child", 3) with { Parent = "plain" });
        table.Upsert(Row("fired", 4) with { Schedule = "nightly" });
        table.Upsert(Row("labelled", 5) with { Labels = new Dictionary<string, string> { ["team"] = "search", ["env"] = "prod" } });
        table.Upsert(Row("elsewhere", 6, tenant: "acme"));

        string[] Ids(ExecutionFilter filter) => [.. table.Query(filter, null, 100).Items.Select(r => r.Id)];
        var all = new ExecutionFilter("default");
        Assert.Equal(["labelled", "fired", "child", "other-wf", "done", "plain"], Ids(all));
        Assert.Equal(["done"], Ids(all with { Statuses = [ExecutionStatus.Succeeded] }));
        Assert.Equal(["done", "plain"], Ids(all with { Statuses = [ExecutionStatus.Succeeded, ExecutionStatus.Running], CreatedBefore = T0.AddMinutes(2) }));
        Assert.Equal(["other-wf"], Ids(all with { WorkflowId = "v" }));
        Assert.Equal(["fired", "child"], Ids(all with { CreatedAfter = T0.AddMinutes(3), CreatedBefore = T0.AddMinutes(5) }));
        Assert.Equal(["child"], Ids(all with { Parent = "plain" }));
        Assert.Equal(["fired"], Ids(all with { Schedule = "nightly" }));
        Assert.Equal(["labelled"], Ids(all with { Labels = new Dictionary<string, string> { ["team"] = "search" } }));
        Assert.Empty(Ids(all with { Labels = new Dictionary<string, string> { ["team"] = "search", ["env"] = "dev" } }));
        Assert.Equal(["elsewhere"], Ids(new ExecutionFilter("acme")));
    }

    [Fact]
    public void PagesWalkNewestFirstWithTiesBrokenByIdAndEndWithoutACursor()
    {
        var table = new ExecutionIndexTable();
        foreach (var id in new[] { "a", "b", "c", "d", "e" })
        {
            table.Upsert(Row(id, id == "e" ? 1 : 0)); // four share one creation time
        }

        var first = table.Query(new ExecutionFilter("default"), null, 2);
        var second = table.Query(new ExecutionFilter("default"), first.Next, 2);
        var third = table.Query(new ExecutionFilter("default"), second.Next, 2);

        Assert.Equal(["e", "d"], first.Items.Select(r => r.Id));
        Assert.Equal(["c", "b"], second.Items.Select(r => r.Id));
        Assert.Equal(["a"], third.Items.Select(r => r.Id));
        Assert.Null(third.Next);
    }

    [Fact]
    public void TheCountsPerStatusFollowTheFilterAndTheTenant()
    {
        var table = new ExecutionIndexTable();
        table.Upsert(Row("a", 0, ExecutionStatus.Succeeded));
        table.Upsert(Row("b", 1, ExecutionStatus.Succeeded));
        table.Upsert(Row("c", 2, ExecutionStatus.Failed, workflow: "v"));
        table.Upsert(Row("d", 3));
        table.Upsert(Row("e", 4, ExecutionStatus.Failed, tenant: "acme"));
        table.Upsert(Row("a", 0, ExecutionStatus.Failed, revision: 2)); // moves a's count from succeeded to failed

        var all = new ExecutionFilter("default");
        Assert.Equal(new Dictionary<ExecutionStatus, long> { [ExecutionStatus.Succeeded] = 1, [ExecutionStatus.Failed] = 2, [ExecutionStatus.Running] = 1 }, table.CountByStatus(all));
        Assert.Equal(new Dictionary<ExecutionStatus, long> { [ExecutionStatus.Failed] = 1 }, table.CountByStatus(all with { WorkflowId = "v" }));
        Assert.Equal(new Dictionary<ExecutionStatus, long> { [ExecutionStatus.Succeeded] = 1, [ExecutionStatus.Failed] = 1 }, table.CountByStatus(all with { CreatedAfter = T0.AddMinutes(1), CreatedBefore = T0.AddMinutes(3) }));
        Assert.Equal(new Dictionary<ExecutionStatus, long> { [ExecutionStatus.Failed] = 1 }, table.CountByStatus(new ExecutionFilter("acme")));
        Assert.Empty(table.CountByStatus(new ExecutionFilter("nobody")));
    }

    [Fact]
    public void ExpiredRowsAreTheFinishedOnesWhoseRetentionEndedOldestFirst()
    {
        var table = new ExecutionIndexTable();
        table.Upsert(Row("later", 0, ExecutionStatus.Succeeded) with { ExpiresAt = T0.AddDays(2) });
        table.Upsert(Row("sooner", 1, ExecutionStatus.Failed) with { ExpiresAt = T0.AddDays(1) });
        table.Upsert(Row("running", 2));

        Assert.Equal(["sooner", "later"], table.Expired(T0.AddDays(3), 10).Select(r => r.Id));
        Assert.Equal(["sooner"], table.Expired(T0.AddDays(1.5), 10).Select(r => r.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("ZTE6")] // "e1:" and nothing after it
    [InlineData("eDE6MTIzOmE")] // "x1:123:a": another prefix
    [InlineData("ZTE6LTE6YQ")] // "e1:-1:a": a negative time
    public void AMalformedCursorIsRefused(string text) => Assert.False(ExecutionCursor.TryParse(text, out _));

    [Fact]
    public void ACursorRoundTripsThroughItsOpaqueText()
    {
        var cursor = new ExecutionCursor(T0.AddTicks(7), "run:with:colons");
        Assert.True(ExecutionCursor.TryParse(cursor.ToString(), out var parsed));
        Assert.Equal(cursor, parsed);
    }
}
