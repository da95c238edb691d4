using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Pools;
using AgentOrleans.Grains.Workflows;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

[Collection(DistributedCollection.Name)]
public sealed class PoolFailoverTests(DistributedFixture servers, ITestOutputHelper output)
{
    private const string Pool = "llm:test";

    [Fact]
    public async Task APermitHeldOnAKilledSiloComesBackWhenItsLeaseExpiresAndBothRunsComplete()
    {
        await using var cluster = await servers.StartClusterAsync(2, Membership.Tuned, output, new Dictionary<string, string>
        {
            ["AgentOrleans__Pools__Cluster__llm__test"] = "1",
            ["AgentOrleans__Pools__LeaseDuration"] = "00:00:02",
            ["AgentOrleans__Pools__PollInterval"] = "00:00:00.100",
            // Nothing revives the first run until the test calls it: the second can only get the permit
            // because the dead holder's lease expired, not because the first run resumed and finished.
            ["AgentOrleans__Executions__RecoveryReminderPeriod"] = "00:01:00",
        });
        var client = cluster.Client;
        var silos = await cluster.ActiveSilosAsync();
        var (victim, survivor) = (cluster.Silos[0], cluster.Silos[1]);
        var holds = await PublishAsync(client, "hold", "4s");
        var uses = await PublishAsync(client, "use", "500ms");

        // The pool's grain lives on the silo that dies too: the permit must survive the pool moving.
        var pool = client.GetGrain<IPoolGrain>(Pool);
        await DistributedRuns.OnSiloAsync(silos[victim.SiloPort], () => pool.GetUsageAsync());
        var first = await cluster.Runs.StartOnAsync(holds, silos[victim.SiloPort]);
        await UntilAsync(async () => (await pool.GetUsageAsync()).Holders.Contains($"{first}:hold:1"), "the first run to hold the permit");
        var second = await cluster.Runs.StartOnAsync(uses, silos[survivor.SiloPort]);
        await UntilAsync(async () => (await client.GetGrain<IExecutionGrain>(second).GetAsync())?.WaitingForPool == Pool, "the second run to wait for the pool");
        Assert.Equal([first, second], await HostedAsync(cluster, victim, survivor, [first, second]));
        Assert.Contains(Pool, await cluster.ExecutionsOnAsync(victim, [Pool]));

        using var sampling = new CancellationTokenSource();
        var samples = new ConcurrentQueue<(DateTimeOffset At, PoolUsage Usage)>();
        var sampler = SampleAsync(pool, samples, sampling.Token);
        Assert.True(await DistributedRuns.PollAsync(TimeSpan.FromSeconds(10), () => Task.FromResult(!samples.IsEmpty)), "expected a usage sample before the kill");
        var killedAt = DateTimeOffset.UtcNow;
        victim.Kill();

        var secondDone = (await cluster.Runs.WaitAllTerminalAsync([second], TimeSpan.FromSeconds(60)))[second];
        var firstDone = (await cluster.Runs.WaitAllTerminalAsync([first], TimeSpan.FromSeconds(60)))[first];
        await UntilAsync(async () => (await pool.GetUsageAsync()).InUse == 0, "the pool to be free once both runs ended");
        await sampling.CancelAsync();
        await sampler;

        Assert.True(secondDone.Status == ExecutionStatus.Succeeded, $"expected the second run to succeed; saw {secondDone.Status} {secondDone.Error?.Message}\n{cluster.LogTails()}");
        Assert.True(firstDone.Status == ExecutionStatus.Succeeded, $"expected the first run to resume on the survivor and succeed; saw {firstDone.Status} {firstDone.Error?.Message}");
        var firstLog = await cluster.Runs.EventsAsync(first);
        var secondLog = await cluster.Runs.EventsAsync(second);
        var resumed = Assert.Single(firstLog, DistributedRuns.Resumed);
        Assert.True(secondLog[^1].At < resumed.At, $"expected the second run to finish ({secondLog[^1].At:HH:mm:ss.fff}) before the first resumed ({resumed.At:HH:mm:ss.fff}): its permit came from the expired lease");
        DistributedRuns.AssertCompleteLog(first, firstLog, maxStartsPerNode: 2);
        Assert.True(samples.Any(s => s.At > killedAt), "expected usage samples of the pool after it moved to the survivor");
        var mostHeld = samples.Max(s => s.Usage.InUse);
        Assert.True(mostHeld <= 1, $"expected never more than the pool's 1 permit held; saw {mostHeld} ({string.Join(" | ", samples.Where(s => s.Usage.InUse > 1).Select(s => string.Join(",", s.Usage.Holders)))})");
        var granted = secondLog.First(e => e.Type == EventTypes.NodeCompleted).At - TimeSpan.FromMilliseconds(500);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kill -9 of the silo holding the permit (and hosting the pool): the waiter got it about {(granted - killedAt).TotalSeconds:F1} s later (lease 2 s); {samples.Count} usage samples, at most {mostHeld} held"));
    }

    private static async Task<string> PublishAsync(IClusterClient client, string node, string duration)
    {
        var id = $"wf-{Guid.NewGuid():N}";
        var definition = new JsonObject
        {
            ["id"] = id,
            ["start"] = node,
            ["nodes"] = new JsonObject
            {
                [node] = new JsonObject { ["type"] = "delay", ["with"] = new JsonObject { ["duration"] = duration }, ["needs"] = new JsonObject { [Pool] = 1 } },
            },
        };
        var published = await DistributedRuns.RetryAsync(() => client.GetGrain<IWorkflowDefinitionGrain>(id).PublishAsync(definition.ToJsonString()), $"publishing {id}");
        Assert.True(published.IsValid, string.Join("; ", published.Problems.Select(p => $"{p.Pointer}: {p.Message}")));
        return id;
    }

    private static async Task<string[]> HostedAsync(SiloCluster cluster, SiloProcess victim, SiloProcess survivor, string[] ids) =>
        [.. (await cluster.ExecutionsOnAsync(victim, ids)), .. (await cluster.ExecutionsOnAsync(survivor, ids))];

    private static async Task UntilAsync(Func<Task<bool>> condition, string what) =>
        Assert.True(await DistributedRuns.PollAsync(TimeSpan.FromSeconds(30), condition), $"expected {what} within 30 s");

    /// <summary>
    /// Reads the pool's usage every poll interval until stopped. A call caught by the kill is given up
    /// after a second (not the client's response timeout), so sampling resumes as soon as the pool has moved.
    /// </summary>
    private static async Task SampleAsync(IPoolGrain pool, ConcurrentQueue<(DateTimeOffset At, PoolUsage Usage)> samples, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var usage = await pool.GetUsageAsync().WaitAsync(TimeSpan.FromSeconds(1), stop);
                samples.Enqueue((DateTimeOffset.UtcNow, usage));
            }
            catch (Exception ex) when (DistributedRuns.IsTransient(ex))
            {
                // The pool's silo was just killed; the next sample reaches it where it moved.
            }

            await Task.Delay(DistributedRuns.PollInterval, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
