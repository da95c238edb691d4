using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

[Collection(DistributedCollection.Name)]
public sealed class ExecutionsAcrossSilosTests(DistributedFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task ExecutionsAndTheirEventStreamsSpanSiloProcesses()
    {
        await using var cluster = await servers.StartClusterAsync(3, Membership.Tuned, output);
        var runs = cluster.Runs;
        var workflowId = await runs.PublishDelayChainAsync(delays: 2, duration: "300ms");

        var ids = await runs.StartManyAsync(workflowId, 20);
        var followers = ids.Select(runs.Follow).ToList();

        // Where they run is read while they run: a finished execution leaves memory.
        var hosts = new HashSet<int>();
        await Polling.UntilAsync(
            async () =>
            {
                foreach (var silo in cluster.Silos)
                {
                    if ((await cluster.ExecutionsOnAsync(silo, ids)).Count > 0)
                    {
                        hosts.Add(silo.Index);
                    }
                }

                return hosts.Count >= 2;
            },
            TimeSpan.FromSeconds(20),
            TimeSpan.FromMilliseconds(50));

        var snapshots = await runs.WaitAllTerminalAsync(ids, TimeSpan.FromSeconds(60));
        await Task.WhenAll(followers.Select(f => f.Completion)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(snapshots.Values, s => Assert.True(s.Status == ExecutionStatus.Succeeded, $"expected {s.Id} succeeded, saw {s.Status} {s.Error?.Message}"));
        Assert.True(hosts.Count >= 2, $"expected the 20 executions spread over at least 2 of the 3 silos, saw them on {hosts.Count}");
        foreach (var follower in followers)
        {
            var log = await runs.EventsAsync(follower.Id);
            DistributedRuns.AssertCompleteLog(follower.Id, log, maxStartsPerNode: 1);
            Assert.Equal(log.Select(e => e.Seq), follower.Events.Select(e => e.Seq));
        }
    }
}
