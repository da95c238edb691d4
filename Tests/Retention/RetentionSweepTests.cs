using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Index;
using AgentOrleans.Grains.Retention;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Retention;

/// <summary>
/// Retention on the test cluster: runs end in real time, the sweep is run with a <see cref="FakeTimeProvider"/> set
/// past their retention (a definition's 1 h, which no other test's run has), and each deleted run is gone from state,
/// log and index, its id tombstoned.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RetentionSweepTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private readonly MemoryExecutionIndex _index = new(fixture.Grains);

    private readonly MemoryExecutionTombstones _tombstones = new(fixture.Grains);

    private async Task<string> PublishKeptOneHourAsync()
    {
        var id = NewId("wf-retained");
        var definition = new JsonObject
        {
            ["id"] = id,
            ["start"] = "a",
            ["retention"] = new JsonObject { ["succeeded"] = "1h" },
            ["nodes"] = new JsonObject { ["a"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["x"] = 1 } }) },
        };
        var published = await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(id).PublishAsync(definition.ToJsonString());
        Assert.True(published.IsValid, string.Join("; ", published.Problems.Select(p => p.Message)));
        return id;
    }

    /// <summary>Runs one execution to its end and waits for its final index row.</summary>
    private async Task<(string Id, ExecutionSummary Row)> FinishedAsync(string workflowId)
    {
        var id = NewId("kept");
        await TerminalAsync(await new Runs(fixture.Grains).StartAsync(workflowId, executionId: id));
        var row = await Polling.UntilAsync(() => _index.GetAsync("default", id), r => r?.ExpiresAt is not null, Deadline, TimeSpan.FromMilliseconds(20));
        return (id, row!);
    }

    private RetentionSweep Sweep(FakeTimeProvider time, int batchSize = 1000, int maxBatches = 100) =>
        new(_index, _tombstones, fixture.Grains, time, new RetentionOptions { BatchSize = batchSize, MaxBatchesPerSweep = maxBatches, BatchPause = TimeSpan.Zero }, NullLogger.Instance);

    [Fact]
    public async Task AnExpiredRunLosesStateLogAndIndexRowAndItsIdIsTombstoned()
    {
        var (id, row) = await FinishedAsync(await PublishKeptOneHourAsync());
        Assert.Equal(row.CompletedAt + Retention, row.ExpiresAt);
        var time = new FakeTimeProvider(row.ExpiresAt!.Value - TimeSpan.FromMinutes(1));

        await Sweep(time).RunAsync();
        Assert.NotNull(await fixture.Grains.GetGrain<IExecutionGrain>(id).GetAsync()); // not yet expired: kept

        time.Advance(TimeSpan.FromMinutes(2));
        var swept = await Sweep(time).RunAsync();

        var execution = fixture.Grains.GetGrain<IExecutionGrain>(id);
        Assert.True(swept.Deleted >= 1);
        Assert.Null(await execution.GetAsync());
        var log = await execution.GetEventsAsync(0, 100);
        Assert.False(log.Exists);
        Assert.Empty(log.Events);
        Assert.Null(await _index.GetAsync("default", id));
        Assert.NotNull(await _tombstones.DeletedAtAsync("default", id, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task ASweepDeletesInBatchesOfItsSizeAndStopsAtItsBatchBound()
    {
        var workflowId = await PublishKeptOneHourAsync();
        var runs = new List<(string Id, ExecutionSummary Row)>();
        for (var i = 0; i < 5; i++)
        {
            runs.Add(await FinishedAsync(workflowId));
        }

        var time = new FakeTimeProvider(runs.Max(r => r.Row.ExpiresAt!.Value) + TimeSpan.FromMinutes(1));
        var bounded = await Sweep(time, batchSize: 2, maxBatches: 2).RunAsync();
        Assert.Equal(new SweepResult(4, 2, bounded.TombstonesPurged), bounded);

        var rest = await Sweep(time, batchSize: 2).RunAsync();
        Assert.True(rest.Deleted >= 1);
        foreach (var (id, _) in runs)
        {
            Assert.Null(await _index.GetAsync("default", id));
            Assert.Null(await fixture.Grains.GetGrain<IExecutionGrain>(id).GetAsync());
        }
    }

    [Fact]
    public async Task ARunningExecutionIsNotDeleted()
    {
        var workflowId = await new Runs(fixture.Grains).PublishAsync(new JsonObject { ["wait"] = Node("delay", new JsonObject { ["duration"] = "1h" }) });
        var execution = await new Runs(fixture.Grains).StartAsync(workflowId);

        Assert.Equal(DeleteOutcome.NotFinished, await execution.DeleteAsync());
        Assert.Equal(ExecutionStatus.Running, (await execution.GetAsync())!.Status);
        await execution.CancelAsync("test over");
    }

    [Fact]
    public async Task TombstonesArePurgedOnceTheirKeepEnds()
    {
        var id = NewId("tomb");
        var now = DateTimeOffset.UtcNow;
        await _tombstones.AddAsync("default", id, now, now + TimeSpan.FromMinutes(5));
        var time = new FakeTimeProvider(now + TimeSpan.FromMinutes(6));

        Assert.NotNull(await _tombstones.DeletedAtAsync("default", id, now));
        var swept = await Sweep(time).RunAsync();

        Assert.True(swept.TombstonesPurged >= 1);
        Assert.Null(await _tombstones.DeletedAtAsync("default", id, now));
    }
}
