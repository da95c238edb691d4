using System.Globalization;
using AgentOrleans.Grains.Executions;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

/// <summary>
/// Figures for docs/distributed.md, not pass/fail targets: the time from SIGKILL of a silo to the
/// first progress of a run it hosted, with Orleans' default failure detection and with the tuned
/// settings. Same method for both: 3 silos, 12 runs of 5 × 1 s delays, kill the busiest silo
/// once all run, the test polling each run's status every 100 ms (as an API client waiting on it would).
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class FailoverFigures(DistributedFixture servers, ITestOutputHelper output)
{
    [Theory, Trait("Category", "Figures")]
    [InlineData(Membership.Default)]
    [InlineData(Membership.Tuned)]
    public async Task TimeFromKillToResumedProgress(Membership membership)
    {
        await using var cluster = await servers.StartClusterAsync(3, membership, output);
        var runs = cluster.Runs;
        var workflowId = await runs.PublishDelayChainAsync(delays: 5, duration: "1s");
        var ids = await runs.StartManyAsync(workflowId, 12);
        await SiloFailureTests.WaitAllRunningAsync(runs, ids);
        var (victim, hosted) = await cluster.BusiestSiloAsync(ids);

        var killedAt = DateTimeOffset.UtcNow;
        victim.Kill();
        var snapshots = await runs.WaitAllTerminalAsync(ids, TimeSpan.FromSeconds(120));

        var resumed = new List<TimeSpan>();
        foreach (var id in ids)
        {
            Assert.True(snapshots[id].Status == ExecutionStatus.Succeeded, $"expected {id} succeeded, saw {snapshots[id].Status} {snapshots[id].Error?.Message}");
            var log = await runs.EventsAsync(id);
            DistributedRuns.AssertCompleteLog(id, log);
            if (hosted.Contains(id) && log.FirstOrDefault(e => DistributedRuns.Resumed(e) && e.At > killedAt) is { } first)
            {
                resumed.Add(first.At - killedAt);
            }
        }

        resumed.Sort();
        Assert.True(resumed.Count > 0, $"expected the {hosted.Count} runs of the killed silo to resume");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kill -9, {membership} membership: {hosted.Count} of 12 runs on the killed silo; resumed after first {resumed[0].TotalSeconds:F1} s, median {resumed[resumed.Count / 2].TotalSeconds:F1} s, last {resumed[^1].TotalSeconds:F1} s"));
        Assert.True(resumed[^1] < TimeSpan.FromSeconds(90), $"expected every run resumed within 90 s, the last took {resumed[^1]}");
    }
}
