using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Schedules;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Schedules;

/// <summary>Schedules firing on the test cluster in real time: on time, counted by execution id, under each overlap policy.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ScheduleFiringTests(ClusterFixture fixture)
{
    private readonly Runs _runs = new(fixture.Grains);

    private IScheduleGrain Schedule(string id) => fixture.Grains.GetGrain<IScheduleGrain>(id);

    private async Task<(string Id, ScheduleView View)> PutAsync(string workflowId, TimeSpan every, ScheduleOverlap overlap = ScheduleOverlap.Allow)
    {
        var id = NewId("sched");
        var put = await Schedule(id).PutAsync(new ScheduleSpec { WorkflowId = workflowId, Every = every, Overlap = overlap });
        Assert.True(put.Created, string.Join("; ", put.Problems.Select(p => $"{p.Pointer}: {p.Message}")));
        return (id, put.Schedule!);
    }

    /// <summary>The fires of the first <paramref name="count"/> periods, read by their deterministic execution ids.</summary>
    private async Task<List<(DateTimeOffset At, ExecutionSnapshot? Execution)>> ExecutionsAsync(string scheduleId, DateTimeOffset definedAt, TimeSpan every, int count)
    {
        var fires = Enumerable.Range(1, count).Select(k => definedAt + k * every).ToList();
        var snapshots = await Task.WhenAll(fires.Select(at => fixture.Grains.GetGrain<IExecutionGrain>(ScheduleIds.Execution(scheduleId, at)).GetAsync()));
        return fires.Zip(snapshots).ToList();
    }

    private async Task<ScheduleView> FiredAsync(string scheduleId, int fires, TimeSpan deadline) =>
        await Polling.UntilAsync(() => Schedule(scheduleId).GetAsync()!, v => v!.LastFires.Count(f => !f.Manual) >= fires, deadline, TimeSpan.FromMilliseconds(100))
        ?? throw new InvalidOperationException("the schedule is gone");

    [Fact]
    public async Task EverySecondFiresNTimesInNSecondsEachWithinASecondOfItsTime()
    {
        const int n = 5;
        var workflowId = await _runs.PublishAsync(new JsonObject { ["a"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["x"] = 1 } }) });
        var (id, view) = await PutAsync(workflowId, TimeSpan.FromSeconds(1));

        var fired = await FiredAsync(id, n, TimeSpan.FromSeconds(n + 5));
        await Schedule(id).PauseAsync();
        var executions = await ExecutionsAsync(id, view.CreatedAt, TimeSpan.FromSeconds(1), n);

        Assert.True(fired.LastFires.Count(f => !f.Manual) >= n, $"expected {n} fires, saw {fired.LastFires.Count}");
        Assert.All(executions, e => Assert.True(e.Execution is not null, $"expected an execution for the fire at {e.At:O}"));
        var lateness = executions.Select(e => e.Execution!.CreatedAt - e.At).ToList();
        Assert.All(lateness, late => Assert.InRange(late, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        var span = executions[^1].Execution!.CreatedAt - executions[0].Execution!.CreatedAt;
        Assert.InRange(span, TimeSpan.FromSeconds(n - 2), TimeSpan.FromSeconds(n));
        Assert.All(fired.LastFires.Where(f => f.ExecutionId is not null), f => Assert.Equal(ScheduleIds.Execution(id, f.At), f.ExecutionId));
    }

    [Theory]
    [InlineData(ScheduleOverlap.Skip)]
    [InlineData(ScheduleOverlap.BufferOne)]
    [InlineData(ScheduleOverlap.Allow)]
    [InlineData(ScheduleOverlap.CancelPrevious)]
    public async Task EachOverlapPolicyWithARunLongerThanThePeriod(ScheduleOverlap overlap)
    {
        // 1.8 s runs (in memory: the test cluster parks after 2 s), a fire every second.
        var workflowId = await _runs.PublishAsync(new JsonObject { ["slow"] = Node("delay", new JsonObject { ["duration"] = "1800ms" }) });
        var (id, view) = await PutAsync(workflowId, TimeSpan.FromSeconds(1), overlap);

        var fired = await FiredAsync(id, 6, TimeSpan.FromSeconds(15));
        await Schedule(id).PauseAsync();
        var started = fired.LastFires.Where(f => f.ExecutionId is not null).Select(f => f.ExecutionId!).Distinct().ToList();
        var ended = new List<ExecutionSnapshot>();
        foreach (var executionId in started)
        {
            ended.Add(await TerminalAsync(fixture.Grains.GetGrain<IExecutionGrain>(executionId)));
        }

        ended = [.. ended.OrderBy(e => e.StartedAt)];
        var overlapped = ended.Zip(ended.Skip(1)).Any(p => p.Second.StartedAt < p.First.CompletedAt);
        var outcomes = string.Join(", ", fired.LastFires.Select(f => $"{ScheduleIds.Format(f.At)} {f.Outcome}"));
        switch (overlap)
        {
            case ScheduleOverlap.Skip:
                Assert.False(overlapped, $"expected no two runs at once; fires: {outcomes}");
                Assert.Contains(fired.LastFires, f => f.Outcome == FireOutcomes.Skipped);
                Assert.All(ended, e => Assert.Equal(ExecutionStatus.Succeeded, e.Status));
                break;
            case ScheduleOverlap.BufferOne:
                Assert.False(overlapped, $"expected no two runs at once; fires: {outcomes}");
                // A kept fire starts when the run before it ends, well after its own time.
                Assert.Contains(ended, e => e.CreatedAt - FireTime(id, e.Id) > TimeSpan.FromMilliseconds(500));
                Assert.All(ended, e => Assert.Equal(ExecutionStatus.Succeeded, e.Status));
                break;
            case ScheduleOverlap.Allow:
                Assert.True(overlapped, $"expected runs at once; fires: {outcomes}");
                Assert.DoesNotContain(fired.LastFires, f => f.Outcome is FireOutcomes.Skipped or FireOutcomes.Buffered);
                break;
            case ScheduleOverlap.CancelPrevious:
                Assert.Contains(ended, e => e.Status == ExecutionStatus.Cancelled);
                Assert.DoesNotContain(fired.LastFires, f => f.Outcome is FireOutcomes.Skipped or FireOutcomes.Buffered);
                break;
        }

        Assert.Equal(view.CreatedAt, fired.CreatedAt);
    }

    private static DateTimeOffset FireTime(string scheduleId, string executionId) =>
        DateTimeOffset.Parse(executionId[(ScheduleIds.Prefix.Length + scheduleId.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task PausedFiresAreNotMadeUpAndTriggerFiresAtOnce()
    {
        var workflowId = await _runs.PublishAsync(new JsonObject { ["a"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["x"] = 1 } }) });
        var (id, _) = await PutAsync(workflowId, TimeSpan.FromSeconds(1));
        await Schedule(id).PauseAsync();
        var paused = await Schedule(id).GetAsync();

        var triggered = await Schedule(id).TriggerAsync();
        var resumed = await Schedule(id).ResumeAsync();
        var afterResume = await FiredAsync(id, 1, TimeSpan.FromSeconds(5));
        await Schedule(id).PauseAsync();

        Assert.Equal("paused", paused!.State);
        Assert.Empty(paused.NextFires);
        Assert.NotNull(triggered!.ExecutionId);
        Assert.True(triggered.Manual);
        Assert.NotNull(await fixture.Grains.GetGrain<IExecutionGrain>(triggered.ExecutionId).GetAsync());
        Assert.Equal("active", resumed!.State);
        Assert.Equal(5, resumed.NextFires.Count);
        Assert.All(afterResume.LastFires.Where(f => !f.Manual), f => Assert.True(f.At >= resumed.UpdatedAt, $"a fire at {f.At:O} from before the resume at {resumed.UpdatedAt:O}"));
    }

    [Fact]
    public async Task ADeletedScheduleFiresNoMoreAndIsGone()
    {
        var workflowId = await _runs.PublishAsync(new JsonObject { ["a"] = Node("transform", new JsonObject { ["set"] = new JsonObject { ["x"] = 1 } }) });
        var (id, view) = await PutAsync(workflowId, TimeSpan.FromSeconds(1));
        await FiredAsync(id, 1, TimeSpan.FromSeconds(5));

        Assert.True(await Schedule(id).DeleteAsync());
        var deletedAt = DateTimeOffset.UtcNow;

        // Nothing announces a fire that does not happen: look for one over three periods.
        var firedAfterDelete = await Polling.UntilAsync(
            async () => (await ExecutionsAsync(id, view.CreatedAt, TimeSpan.FromSeconds(1), 60)).Any(e => e.Execution is not null && e.At > deletedAt.AddSeconds(1)),
            TimeSpan.FromSeconds(3),
            TimeSpan.FromMilliseconds(500));

        Assert.False(firedAfterDelete, "expected no fire after the delete");
        Assert.Null(await Schedule(id).GetAsync());
        Assert.False(await Schedule(id).DeleteAsync());
    }
}
