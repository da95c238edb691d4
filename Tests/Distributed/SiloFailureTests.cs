using System.Globalization;
using AgentOrleans.Grains.Executions;
using Orleans.Streams;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

[Collection(DistributedCollection.Name)]
public sealed class SiloFailureTests(DistributedFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task KillingASiloMidRunLosesNoExecutionAndNoEvent()
    {
        await using var cluster = await servers.StartClusterAsync(3, Membership.Tuned, output);
        var runs = cluster.Runs;
        var workflowId = await runs.PublishDelayChainAsync(delays: 6, duration: "1s");
        var ids = await runs.StartManyAsync(workflowId, 30);
        var followers = ids.Select(runs.Follow).ToList();
        await WaitAllRunningAsync(runs, ids);

        var (victim, hosted) = await cluster.BusiestSiloAsync(ids);
        Assert.True(hosted.Count > 0, "expected some of the 30 executions on one of the silos");
        var killedAt = DateTimeOffset.UtcNow;
        victim.Kill();

        var snapshots = await runs.WaitAllTerminalAsync(ids, TimeSpan.FromSeconds(90));
        await Task.WhenAll(followers.Select(f => f.Completion)).WaitAsync(TimeSpan.FromSeconds(30));

        var logs = new Dictionary<string, List<ExecutionEvent>>();
        foreach (var id in ids)
        {
            Assert.True(snapshots[id].Status == ExecutionStatus.Succeeded, $"expected {id} succeeded, saw {snapshots[id].Status} {snapshots[id].Error?.Message}");
            logs[id] = await runs.EventsAsync(id);
            DistributedRuns.AssertCompleteLog(id, logs[id], maxStartsPerNode: 2);
        }

        foreach (var follower in followers)
        {
            // Exactly once across the kill: the follower resumed from its last seq, never re-delivered or skipped.
            Assert.Equal(logs[follower.Id].Select(e => e.Seq), follower.Events.Select(e => e.Seq));
        }

        var resumedRuns = hosted.Count(id => logs[id].Any(DistributedRuns.Resumed));
        var firstProgress = hosted.Select(id => logs[id].Where(e => e.At > killedAt).Select(e => e.At).DefaultIfEmpty(DateTimeOffset.MaxValue).Min()).Min();
        var lastDone = hosted.Max(id => logs[id][^1].At);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kill -9 (tuned membership): {hosted.Count} of 30 executions were on the killed silo; {resumedRuns} re-ran their in-flight node; " +
            $"first resumed progress {(firstProgress - killedAt).TotalSeconds:F1} s after the kill; all of them done after {(lastDone - killedAt).TotalSeconds:F1} s; " +
            $"followers resumed {followers.Sum(f => f.Resumes)} times"));
        Assert.True(resumedRuns > 0, "expected at least one execution on the killed silo to resume its in-flight node (node.started with resumed: true)");
        Assert.True(firstProgress - killedAt < TimeSpan.FromSeconds(60), $"expected resumed progress within 60 s of the kill, saw {firstProgress - killedAt}");
    }

    [Fact]
    public async Task OnSigtermRunningExecutionsMoveToOtherSilosAtOnce()
    {
        // The recovery reminder at its product default (1 min), and no calls to the executions until
        // they have moved: only the hand-over on deactivation can make them continue within seconds.
        await using var cluster = await servers.StartClusterAsync(3, Membership.Tuned, output, new Dictionary<string, string>
        {
            ["AgentOrleans__Executions__RecoveryReminderPeriod"] = "00:01:00",
        });
        var runs = cluster.Runs;
        var workflowId = await runs.PublishDelayChainAsync(delays: 6, duration: "1s");
        var ids = await runs.StartManyAsync(workflowId, 15);
        await WaitAllRunningAsync(runs, ids);
        var (victim, hosted) = await cluster.BusiestSiloAsync(ids);
        Assert.True(hosted.Count > 0, "expected some of the 15 executions on one of the silos");

        // Watch the all-executions stream: subscribing does not touch the execution grains.
        var moved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seenAfter = new System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset>();
        var terminatedAt = DateTimeOffset.MaxValue;
        var provider = cluster.Client.GetStreamProvider(StreamNames.Provider);
        List<Orleans.Streams.StreamSubscriptionHandle<ExecutionEvent>> subscriptions = [];
        foreach (var key in StreamNames.PartitionKeys())
        {
            subscriptions.Add(await DistributedRuns.RetryAsync(() => provider.GetStream<ExecutionEvent>(Orleans.Runtime.StreamId.Create(StreamNames.Namespace, key)).SubscribeAsync((e, _) =>
            {
                if (hosted.Contains(e.ExecutionId) && DistributedRuns.Resumed(e) && e.At > terminatedAt && seenAfter.TryAdd(e.ExecutionId, e.At) && seenAfter.Count == hosted.Count)
                {
                    moved.TrySetResult();
                }

                return Task.CompletedTask;
            }), "subscribing to the all-executions stream"));
        }

        terminatedAt = DateTimeOffset.UtcNow;
        victim.Terminate();
        Assert.True(await victim.WaitForExitAsync(TimeSpan.FromSeconds(40)), $"expected the silo to exit within 40 s of SIGTERM\n{victim.LogTail()}");
        var exitedAt = DateTimeOffset.UtcNow;
        await moved.Task.WaitAsync(TimeSpan.FromSeconds(20)).ContinueWith(_ => { }, TaskScheduler.Default);
        var firstPollAt = DateTimeOffset.UtcNow;
        foreach (var subscription in subscriptions)
        {
            await subscription.UnsubscribeAsync();
        }

        var snapshots = await runs.WaitAllTerminalAsync(ids, TimeSpan.FromSeconds(60));
        var logs = new Dictionary<string, List<ExecutionEvent>>();
        foreach (var id in ids)
        {
            Assert.True(snapshots[id].Status == ExecutionStatus.Succeeded, $"expected {id} succeeded, saw {snapshots[id].Status} {snapshots[id].Error?.Message}");
            logs[id] = await runs.EventsAsync(id);
            DistributedRuns.AssertCompleteLog(id, logs[id], maxStartsPerNode: 2);
        }

        var resumedAt = hosted.ToDictionary(id => id, id => logs[id].FirstOrDefault(e => DistributedRuns.Resumed(e) && e.At > terminatedAt)?.At);
        var first = resumedAt.Values.Min() ?? DateTimeOffset.MaxValue;
        var last = resumedAt.Values.Max() ?? DateTimeOffset.MaxValue;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SIGTERM hand-over: {hosted.Count} executions on the stopped silo; it exited {(exitedAt - terminatedAt).TotalSeconds:F1} s after SIGTERM; " +
            $"resumed elsewhere {(first - terminatedAt).TotalSeconds:F1}–{(last - terminatedAt).TotalSeconds:F1} s after SIGTERM (stream saw {seenAfter.Count} of them before any call)"));
        foreach (var (id, at) in resumedAt)
        {
            Assert.True(at is not null && at < firstPollAt,
                $"expected {id} to resume on another silo by itself (hand-over) before the test first called it at {firstPollAt:HH:mm:ss.fff}, saw resumed at {at:HH:mm:ss.fff}");
        }
    }

    /// <summary>Waits until every run has started (polled concurrently, so a loaded machine does not let the first ones finish meanwhile).</summary>
    internal static async Task WaitAllRunningAsync(DistributedRuns runs, IReadOnlyCollection<string> ids)
    {
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, ExecutionStatus?>();
        await Task.WhenAll(ids.Select(id => DistributedRuns.PollAsync(TimeSpan.FromSeconds(30), async () =>
        {
            var status = (await runs.GetAsync(id))?.Status;
            statuses[id] = status;
            return status is not (ExecutionStatus.Queued or null);
        })));
        Assert.True(statuses.Values.All(s => s == ExecutionStatus.Running),
            $"expected all {ids.Count} executions running at once (the test acts on them mid-run), saw {string.Join(", ", statuses.Values.GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}"))}");
    }
}
