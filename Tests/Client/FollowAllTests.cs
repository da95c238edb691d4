using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Client;

/// <summary>The client library's all-executions follower, over the partitioned all-executions streams.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FollowAllTests(ClusterFixture fixture)
{
    private readonly Runs _runs = new(fixture.Grains);

    [Fact]
    public async Task EveryExecutionsEventsArriveExactlyOnceAndInOrder()
    {
        var workflowId = await _runs.PublishAsync(new JsonObject
        {
            ["a"] = Node("test.count"),
            ["b"] = Node("test.count"),
            ["c"] = Node("test.count"),
        });
        var seen = new ConcurrentDictionary<string, ConcurrentQueue<ExecutionEvent>>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var follower = new OrleansExecutionEvents(fixture.Cluster.Client);
        var following = Task.Run(async () =>
        {
            await foreach (var e in follower.FollowAllAsync(cancellationToken: stop.Token))
            {
                seen.GetOrAdd(e.ExecutionId, _ => new ConcurrentQueue<ExecutionEvent>()).Enqueue(e);
            }
        });

        // The subscriptions are made inside the iterator: a probe run seen end to end says they are live.
        await PollAsync(async () =>
        {
            var probe = await _runs.StartAsync(workflowId);
            await TerminalAsync(probe);
            return seen.ContainsKey(probe.GetPrimaryKeyString());
        }, "the follower to see a probe execution");

        var executions = new List<IExecutionGrain>();
        for (var i = 0; i < 12; i++)
        {
            executions.Add(await _runs.StartAsync(workflowId));
        }

        foreach (var execution in executions)
        {
            var id = execution.GetPrimaryKeyString();
            Assert.Equal(ExecutionStatus.Succeeded, (await TerminalAsync(execution)).Status);
            await PollAsync(() => Task.FromResult(seen.TryGetValue(id, out var got) && got.Any(e => e.IsTerminal)), $"the terminal event of {id}");
            var log = await EventsAsync(execution);
            Assert.Equal(log.Select(e => (e.Seq, e.Type, e.NodeId)), seen[id].Select(e => (e.Seq, e.Type, e.NodeId)));
        }

        // Events spread over more than one partition: one hot stream is what the partitions avoid.
        Assert.True(executions.Select(e => StreamNames.PartitionOf(e.GetPrimaryKeyString())).Distinct().Count() > 1);
        await stop.CancelAsync();
        await following.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static async Task PollAsync(Func<Task<bool>> condition, string what)
    {
        Assert.True(await Polling.UntilAsync(condition, Deadline, TimeSpan.FromMilliseconds(50)), $"expected {what} within {Deadline}");
    }
}
