using System.Globalization;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Workflows;
using Orleans.Streams;
using Xunit.Abstractions;

namespace AgentOrleans.Tests.Distributed;

/// <summary>Scheduled starts whose silo is killed and replaced: each still begins within a second of its time.</summary>
[Collection(DistributedCollection.Name)]
public sealed class DelayedStartFailoverTests(DistributedFixture servers, ITestOutputHelper output)
{
    [Fact]
    public async Task AScheduledStartBeginsOnTimeAfterKill9AndARestartOfItsSilo()
    {
        await using var cluster = await servers.StartClusterAsync(2, Membership.Tuned, output);
        var workflowId = await PublishAsync(cluster);
        var startAt = DateTimeOffset.UtcNow.AddSeconds(20);
        var ids = Enumerable.Range(0, 8).Select(_ => $"ex-{Guid.NewGuid():N}").ToList();
        foreach (var id in ids)
        {
            var started = await DistributedRuns.RetryAsync(
                () => cluster.Client.GetGrain<IExecutionGrain>(id).StartAsync(new StartExecution(workflowId, null, null) { StartAt = startAt }), $"starting {id}");
            Assert.Equal(ExecutionStatus.Scheduled, started.Execution!.Status);
        }

        // Watch the events stream: subscribing touches no execution, so only their reminders can begin them.
        var ended = new System.Collections.Concurrent.ConcurrentDictionary<string, ExecutionEvent>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var provider = cluster.Client.GetStreamProvider(StreamNames.Provider);
        var subscriptions = new List<StreamSubscriptionHandle<ExecutionEvent>>();
        foreach (var key in StreamNames.PartitionKeys())
        {
            subscriptions.Add(await DistributedRuns.RetryAsync(() => provider.GetStream<ExecutionEvent>(StreamId.Create(StreamNames.Namespace, key)).SubscribeAsync((e, _) =>
            {
                if (ids.Contains(e.ExecutionId) && EventTypes.IsTerminal(e.Type) && ended.TryAdd(e.ExecutionId, e) && ended.Count == ids.Count)
                {
                    all.TrySetResult();
                }

                return Task.CompletedTask;
            }), "subscribing to the events stream"));
        }

        var (victim, hosted) = await cluster.BusiestSiloAsync(ids);
        Assert.True(hosted.Count > 0, "expected some of the scheduled executions in memory on one silo");
        victim.Kill();
        await cluster.AddSiloAsync(new Dictionary<string, string>());

        await all.Task.WaitAsync(TimeSpan.FromSeconds(90));
        foreach (var subscription in subscriptions)
        {
            await subscription.UnsubscribeAsync();
        }

        var snapshots = await cluster.Runs.WaitAllTerminalAsync(ids, TimeSpan.FromSeconds(30));
        var lateness = ids.Select(id => snapshots[id].StartedAt!.Value - startAt).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"8 executions scheduled 20 s ahead, {hosted.Count} in memory on the silo killed and replaced: began {lateness.Min().TotalMilliseconds:F0}–{lateness.Max().TotalMilliseconds:F0} ms after their time"));
        Assert.All(ids, id => Assert.Equal(ExecutionStatus.Succeeded, snapshots[id].Status));
        Assert.All(lateness, late => Assert.InRange(late, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
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
