using System.Globalization;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Schedules;
using AgentOrleans.Grains.Workflows;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

/// <summary>A schedule whose silo is killed: a survivor takes it over and every fire time gets exactly one execution.</summary>
[Collection(DistributedCollection.Name)]
public sealed class ScheduleFailoverTests(DistributedFixture servers, ITestOutputHelper output)
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Kill9OfTheSiloHostingAScheduleLosesNoFireAndDoublesNone()
    {
        await using var cluster = await servers.StartClusterAsync(3, Membership.Tuned, output, new Dictionary<string, string>
        {
            ["AgentOrleans__Schedules__RecoveryReminderPeriod"] = "00:00:02",
        });
        var workflowId = await PublishAsync(cluster);
        var scheduleId = $"sched-{Guid.NewGuid():N}";
        var schedule = cluster.Client.GetGrain<IScheduleGrain>(scheduleId);
        var put = await DistributedRuns.RetryAsync(
            () => schedule.PutAsync(new ScheduleSpec { WorkflowId = workflowId, Every = Every, Overlap = ScheduleOverlap.Allow }), $"putting {scheduleId}");
        Assert.True(put.Created, string.Join("; ", put.Problems.Select(p => $"{p.Pointer}: {p.Message}")));
        var definedAt = put.Schedule!.CreatedAt;
        string Fire(int k) => ScheduleIds.Execution(scheduleId, definedAt + k * Every);

        Assert.True(await DistributedRuns.PollAsync(TimeSpan.FromSeconds(30), async () => await cluster.Runs.GetAsync(Fire(3)) is not null), "expected the first 3 fires before the kill");
        SiloProcess? victim = null;
        foreach (var silo in cluster.Silos)
        {
            if ((await cluster.ExecutionsOnAsync(silo, [scheduleId])).Count > 0)
            {
                victim = silo;
            }
        }

        Assert.True(victim is not null, "expected the schedule active on one of the silos");
        var killedAt = DateTimeOffset.UtcNow;
        victim.Kill();

        // Nobody calls the schedule until it has fired again: only its reminder can bring it back on a survivor.
        var firstAfter = (int)Math.Ceiling((killedAt - definedAt) / Every);
        var last = firstAfter + 10;
        Assert.True(
            await DistributedRuns.PollAsync(TimeSpan.FromSeconds(90), async () => await cluster.Runs.GetAsync(Fire(last)) is not null),
            $"expected the fire at {ScheduleIds.Format(definedAt + last * Every)} (20 s after the kill) to run\n{cluster.LogTails()}");
        var view = await DistributedRuns.RetryAsync(() => schedule.PauseAsync(), $"pausing {scheduleId}");

        var executions = new List<ExecutionSnapshot?>();
        for (var k = 1; k <= last; k++)
        {
            executions.Add(await cluster.Runs.GetAsync(Fire(k)));
        }

        var missing = Enumerable.Range(1, last).Where(k => executions[k - 1] is null).Select(k => ScheduleIds.Format(definedAt + k * Every)).ToList();
        var resumed = executions.Skip(firstAfter - 1).Where(e => e is not null).Select(e => e!.CreatedAt).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"schedule every 2 s, killed its silo at {killedAt:HH:mm:ss.fff}: first execution on a survivor {(resumed - killedAt).TotalSeconds:F1} s after the kill; " +
            $"{last - missing.Count} of {last} fire times have their execution; missed fires counted by the schedule: {view!.MissedFires}"));
        Assert.True(missing.Count == 0, $"expected an execution for every fire time through {ScheduleIds.Format(definedAt + last * Every)}, missing: {string.Join(", ", missing)}");
        Assert.Equal(0, view.MissedFires);
        Assert.Equal(view.LastFires.Count, view.LastFires.Select(f => f.At).Distinct().Count());
    }

    private static async Task<string> PublishAsync(SiloCluster cluster)
    {
        var id = $"wf-{Guid.NewGuid():N}";
        var definition = new JsonObject
        {
            ["id"] = id,
            ["start"] = "a",
            ["nodes"] = new JsonObject { ["a"] = new JsonObject { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject { ["x"] = 1 } } } },
            ["edges"] = new JsonArray(),
        };
        var published = await DistributedRuns.RetryAsync(() => cluster.Client.GetGrain<IWorkflowDefinitionGrain>(id).PublishAsync(definition.ToJsonString()), $"publishing {id}");
        Assert.True(published.IsValid, string.Join("; ", published.Problems.Select(p => $"{p.Pointer}: {p.Message}")));
        return id;
    }
}
