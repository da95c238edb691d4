using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Tenants;

/// <summary>The client library's followers follow one tenant: they see its events only, under its bare ids.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TenantFollowerTests(ClusterFixture fixture)
{
    private const string Acme = "acme";
    private const string Globex = "globex";

    private async Task PublishAsync(string tenant, string workflowId)
    {
        var definition = new JsonObject
        {
            ["id"] = workflowId,
            ["start"] = "a",
            ["nodes"] = new JsonObject { ["a"] = Node("test.count"), ["b"] = Node("test.count") },
            ["edges"] = new JsonArray(new JsonObject { ["from"] = "a", ["to"] = "b" }),
        };
        var published = await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(TenantKey.Scope(tenant, workflowId)).PublishAsync(definition.ToJsonString());
        Assert.True(published.IsValid);
    }

    private async Task<IExecutionGrain> StartAsync(string tenant, string workflowId, string id)
    {
        var execution = fixture.Grains.GetGrain<IExecutionGrain>(TenantKey.Scope(tenant, id));
        Assert.Equal(StartOutcome.Started, (await execution.StartAsync(new StartExecution(workflowId, null, null))).Outcome);
        return execution;
    }

    [Fact]
    public async Task FollowAllSeesOnlyItsTenantsEventsUnderBareIds()
    {
        var workflowId = NewId("wf");
        await PublishAsync(Acme, workflowId);
        await PublishAsync(Globex, workflowId);
        var seen = new ConcurrentDictionary<string, ConcurrentQueue<ExecutionEvent>>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var follower = new OrleansExecutionEvents(fixture.Cluster.Client) { Tenant = Acme };
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
            var probe = NewId("probe");
            await TerminalAsync(await StartAsync(Acme, workflowId, probe));
            return seen.ContainsKey(probe);
        }, "the follower to see a probe execution");

        // The same ids in both tenants, globex's first: acme's follower must see acme's only.
        var ids = Enumerable.Range(0, 6).Select(_ => NewId("ex")).ToList();
        var globex = new List<IExecutionGrain>();
        var acme = new List<IExecutionGrain>();
        foreach (var id in ids)
        {
            globex.Add(await StartAsync(Globex, workflowId, id));
            acme.Add(await StartAsync(Acme, workflowId, id));
        }

        foreach (var execution in globex.Concat(acme))
        {
            await TerminalAsync(execution);
        }

        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            await PollAsync(() => Task.FromResult(seen.TryGetValue(id, out var got) && got.Any(e => e.IsTerminal)), $"the terminal event of {id}");
            var log = await EventsAsync(acme[i]);
            Assert.Equal(log.Select(e => (e.Seq, e.Type)), seen[id].Select(e => (e.Seq, e.Type)));
        }

        Assert.All(seen.Keys, id => Assert.DoesNotContain(TenantKey.Separator, id));
        Assert.All(seen.Values.SelectMany(q => q), e => Assert.DoesNotContain(TenantKey.Separator, e.ExecutionId));
        await stop.CancelAsync();
        await following.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task FollowingOneExecutionFollowsItsTenantsAndNotAnothersOfTheSameId()
    {
        var workflowId = NewId("wf");
        await PublishAsync(Acme, workflowId);
        var id = NewId("ex");
        var execution = await StartAsync(Acme, workflowId, id);
        await TerminalAsync(execution);

        var events = new List<ExecutionEvent>();
        await foreach (var e in new OrleansExecutionEvents(fixture.Cluster.Client) { Tenant = Acme }.FollowAsync(id))
        {
            events.Add(e);
        }

        Assert.Equal((await EventsAsync(execution)).Select(e => e.Seq), events.Select(e => e.Seq));
        Assert.All(events, e => Assert.Equal(id, e.ExecutionId));
        await Assert.ThrowsAsync<ExecutionNotFoundException>(async () =>
        {
            await foreach (var e in new OrleansExecutionEvents(fixture.Cluster.Client) { Tenant = Globex }.FollowAsync(id))
            {
                Assert.Fail($"globex's follower got acme's event {e.Seq}");
            }
        });
        await Assert.ThrowsAsync<ExecutionNotFoundException>(async () =>
        {
            await foreach (var e in new OrleansExecutionEvents(fixture.Cluster.Client).FollowAsync($"{Acme}/{id}"))
            {
                Assert.Fail($"a key named as an id reached acme's event {e.Seq}");
            }
        });
    }

    private static async Task PollAsync(Func<Task<bool>> condition, string what) =>
        Assert.True(await Polling.UntilAsync(condition, Deadline, TimeSpan.FromMilliseconds(50)), $"expected {what} within {Deadline}");
}
