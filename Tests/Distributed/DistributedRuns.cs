using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Infrastructure;

namespace AgentOrleans.Tests.Distributed;

/// <summary>
/// Helpers for runs across silo processes. Every call may meet a silo that was just killed (a
/// timeout, a rejected message), so each one is retried with a deadline and every wait names
/// what it expected and what it saw.
/// </summary>
public sealed class DistributedRuns(IClusterClient client)
{
    /// <summary>Between two polls of a condition that has a deadline.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Before retrying a call that failed transiently (a silo just died, storage restarting).</summary>
    public static readonly TimeSpan RetryBackoff = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(6);

    /// <summary>Publishes a chain of <c>delay</c> nodes (<c>n1 → n2 → …</c>), ending in a <c>transform</c>.</summary>
    public async Task<string> PublishDelayChainAsync(int delays, string duration)
    {
        var id = $"wf-{Guid.NewGuid():N}";
        var nodes = new JsonObject();
        var edges = new JsonArray();
        for (var i = 1; i <= delays; i++)
        {
            nodes[$"n{i}"] = new JsonObject { ["type"] = "delay", ["with"] = new JsonObject { ["duration"] = duration } };
            edges.Add(new JsonObject { ["from"] = $"n{i}", ["to"] = i < delays ? $"n{i + 1}" : "done" });
        }

        nodes["done"] = new JsonObject { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject { ["finished"] = true } } };
        var definition = new JsonObject { ["id"] = id, ["start"] = "n1", ["nodes"] = nodes, ["edges"] = edges };
        var published = await RetryAsync(() => client.GetGrain<IWorkflowDefinitionGrain>(id).PublishAsync(definition.ToJsonString()), $"publishing {id}");
        Assert.True(published.IsValid, string.Join("; ", published.Problems.Select(p => $"{p.Pointer}: {p.Message}")));
        return id;
    }

    /// <summary>Starts <paramref name="count"/> executions; a retried start of the same id is idempotent.</summary>
    public async Task<List<string>> StartManyAsync(string workflowId, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => $"ex-{Guid.NewGuid():N}").ToList();
        await Task.WhenAll(ids.Select(id => RetryAsync(async () =>
        {
            var started = await client.GetGrain<IExecutionGrain>(id).StartAsync(new StartExecution(workflowId, null, null));
            Assert.True(started.Outcome is StartOutcome.Started or StartOutcome.AlreadyStarted, $"expected {id} to start, saw {started.Outcome}");
            return started;
        }, $"starting {id}")));
        return ids;
    }

    public Task<ExecutionSnapshot?> GetAsync(string id) => RetryAsync(() => client.GetGrain<IExecutionGrain>(id).GetAsync(), $"reading {id}");

    /// <summary>Every retained event of <paramref name="id"/>, page by page.</summary>
    public Task<List<ExecutionEvent>> EventsAsync(string id) => RetryAsync(async () =>
    {
        var grain = client.GetGrain<IExecutionGrain>(id);
        var events = new List<ExecutionEvent>();
        long after = 0;
        while (true)
        {
            var page = await grain.GetEventsAsync(after, 500);
            events.AddRange(page.Events);
            if (page.Events.Count == 0)
            {
                return events;
            }

            after = page.Next;
        }
    }, $"reading the events of {id}");

    /// <summary>
    /// Waits until every execution is terminal; fails naming those that are not. Each execution is
    /// polled on its own (like a client waiting on it), so a call hung on a dead silo delays only that one.
    /// </summary>
    public async Task<Dictionary<string, ExecutionSnapshot>> WaitAllTerminalAsync(IReadOnlyCollection<string> ids, TimeSpan timeout)
    {
        var done = new ConcurrentDictionary<string, ExecutionSnapshot>();
        await Task.WhenAll(ids.Select(id => PollAsync(timeout, async () =>
        {
            if (await client.GetGrain<IExecutionGrain>(id).GetAsync().WaitAsync(CallTimeout) is { IsTerminal: true } snapshot)
            {
                done[id] = snapshot;
                return true;
            }

            return false;
        })));
        Assert.True(done.Count == ids.Count, $"expected all {ids.Count} executions terminal within {timeout}; {ids.Count - done.Count} are not: {string.Join(", ", ids.Where(id => !done.ContainsKey(id)).Take(5))}");
        return new Dictionary<string, ExecutionSnapshot>(done);
    }

    /// <summary>
    /// Follows an execution like a service would: FollowAsync from the last seq it processed, and
    /// after an error (its silo died under it) again from that seq. Records every event delivered.
    /// </summary>
    public Follower Follow(string id) => new(new OrleansExecutionEvents(client) { LogPollInterval = TimeSpan.FromMilliseconds(500) }, id);

    /// <summary>Asserts what every run of a delay chain must look like, whatever happened to its silos.</summary>
    public static void AssertCompleteLog(string id, IReadOnlyList<ExecutionEvent> events, int maxStartsPerNode = 2)
    {
        var seqs = string.Join(",", events.Select(e => e.Seq));
        for (var i = 0; i < events.Count; i++)
        {
            Assert.True(events[i].Seq == i + 1, $"{id}: expected seq 1..{events.Count} without gap or duplicate, saw {seqs}");
        }

        Assert.True(events.Count > 0 && events[^1].Type == EventTypes.ExecutionCompleted, $"{id}: expected the log to end with execution.completed, saw {(events.Count > 0 ? events[^1].Type : null)}");
        foreach (var node in events.Where(e => e.NodeId is not null).GroupBy(e => e.NodeId))
        {
            var completed = node.Count(e => e.Type == EventTypes.NodeCompleted);
            var started = node.Count(e => e.Type == EventTypes.NodeStarted);
            Assert.True(completed == 1, $"{id}: expected node {node.Key} completed exactly once, saw {completed}");
            Assert.True(started <= maxStartsPerNode, $"{id}: expected node {node.Key} started at most {maxStartsPerNode} times, saw {started}");
        }
    }

    public static bool Resumed(ExecutionEvent e) => e.Type == EventTypes.NodeStarted && e.DataJson?.Contains("\"resumed\":true", StringComparison.Ordinal) == true;

    public static Task<bool> PollAsync(TimeSpan timeout, Func<Task<bool>> condition) =>
        Polling.UntilAsync(
            async () =>
            {
                try
                {
                    return await condition();
                }
                catch (Exception ex) when (IsTransient(ex))
                {
                    // Retried until the deadline.
                    return false;
                }
            },
            held => held,
            timeout,
            PollInterval);

    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, string what, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        Exception? last = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                return await call().WaitAsync(CallTimeout);
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                last = ex;
                await Task.Delay(RetryBackoff);
            }
        }

        Assert.Fail($"expected {what} to succeed within {timeout ?? TimeSpan.FromSeconds(60)}; last error: {last}");
        return default!;
    }

    /// <summary>Makes a call (retried) whose grain, if not yet active, is activated on <paramref name="silo"/>.</summary>
    public static async Task<T> OnSiloAsync<T>(SiloAddress silo, Func<Task<T>> call)
    {
        RequestContext.Set(Orleans.Runtime.Placement.IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return await RetryAsync(call, $"a call placed on {silo}");
        }
        finally
        {
            RequestContext.Remove(Orleans.Runtime.Placement.IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>Starts an execution of <paramref name="workflowId"/> on <paramref name="silo"/>.</summary>
    public async Task<string> StartOnAsync(string workflowId, SiloAddress silo)
    {
        var id = $"ex-{Guid.NewGuid():N}";
        await OnSiloAsync(silo, async () =>
        {
            var started = await client.GetGrain<IExecutionGrain>(id).StartAsync(new StartExecution(workflowId, null, null));
            Assert.True(started.Outcome is StartOutcome.Started or StartOutcome.AlreadyStarted, $"expected {id} to start, saw {started.Outcome}");
            return started;
        });
        return id;
    }

    public static bool IsTransient(Exception ex) => ex is TimeoutException or OrleansException or OperationCanceledException
        || ex.GetType().Namespace?.StartsWith("Npgsql", StringComparison.Ordinal) == true
        || ex.InnerException is { } inner && IsTransient(inner);
}
