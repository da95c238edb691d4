using AgentOrleans.Grains.Admission;
using AgentOrleans.Grains.Executions;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

[Collection(DistributedCollection.Name)]
public sealed class AdmissionAcrossRestartTests(DistributedFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task ARunStartedWhileUnboundedCountsOnceItResumesOnASiloWithABound()
    {
        // One silo without bounds runs an execution; a silo with a bound of 1 replaces it, as in a
        // rolling restart that switches admission control on.
        // The run's one-minute delay stays in memory (longer than the default ParkAfter of 30 s, it would sleep out of it),
        // so it is in flight on the silo that is killed and resumes on the bounded one; added silos share the setting.
        await using var cluster = await servers.StartClusterAsync(1, Membership.Tuned, output, new Dictionary<string, string> { ["AgentOrleans__Executions__ParkAfter"] = "00:05:00" });
        var runs = cluster.Runs;
        var workflowId = await runs.PublishDelayChainAsync(delays: 1, duration: "60s");
        var running = (await runs.StartManyAsync(workflowId, 1))[0];
        await SiloFailureTests.WaitAllRunningAsync(runs, [running]);
        var bounded = await cluster.AddSiloAsync(new Dictionary<string, string> { ["AgentOrleans__Admission__MaxActiveExecutions"] = "1" });
        cluster.Silos[0].Kill();

        // Calling it activates it on the bounded silo, which resumes it.
        Assert.True(await DistributedRuns.PollAsync(TimeSpan.FromSeconds(60), async () => (await runs.EventsAsync(running)).Any(DistributedRuns.Resumed)),
            $"expected {running} to resume on the bounded silo\n{cluster.LogTails()}");
        // The join may have to wait for the admission grain to come back (it may have lived on the killed silo).
        var admission = cluster.Client.GetGrain<IAdmissionGrain>(IAdmissionGrain.GlobalKey);
        Assert.True(await DistributedRuns.PollAsync(TimeSpan.FromSeconds(30), async () => (await admission.GetCountsAsync()).Total == 1),
            $"expected the resumed run to join the admission count\n{cluster.LogTails()}");
        var counts = await DistributedRuns.RetryAsync(() => admission.GetCountsAsync(), "reading the admission counts");
        var refused = await DistributedRuns.RetryAsync(
            () => cluster.Client.GetGrain<IExecutionGrain>($"ex-{Guid.NewGuid():N}").StartAsync(new StartExecution(workflowId, null, null)),
            "starting one more execution");

        Assert.Equal(1, counts.Total);
        Assert.True(refused.Outcome == StartOutcome.Overloaded, $"expected a start beyond the bound of 1 to be refused while the resumed run is active; saw {refused.Outcome}");
        Assert.Contains(running, await cluster.ExecutionsOnAsync(bounded, [running]));
    }
}
