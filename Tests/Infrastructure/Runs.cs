using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>Intent-named helpers for grain tests: publish a workflow, start it, await what it does.</summary>
public sealed class Runs(IGrainFactory grains)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Publishes a workflow made of <paramref name="nodes"/> chained in order (or with <paramref name="edges"/>), in <paramref name="tenant"/> (default: the default tenant).</summary>
    public async Task<string> PublishAsync(JsonObject nodes, JsonArray? edges = null, string? timeout = null, JsonObject? input = null, string? tenant = null)
    {
        var (id, published) = await TryPublishAsync(nodes, edges, timeout, input, tenant);
        Assert.True(published.IsValid, string.Join("; ", published.Problems.Select(p => $"{p.Pointer}: {p.Message}")));
        return id;
    }

    /// <summary>Publishes the nodes (chained in order unless <paramref name="edges"/> are given) and returns what the definition grain answered, valid or not.</summary>
    public async Task<(string Id, PublishResult Published)> TryPublishAsync(JsonObject nodes, JsonArray? edges = null, string? timeout = null, JsonObject? input = null, string? tenant = null)
    {
        var id = NewId("wf");
        var names = nodes.Select(n => n.Key).ToList();
        edges ??= new JsonArray(names.Zip(names.Skip(1), (a, b) => (JsonNode)new JsonObject { ["from"] = a, ["to"] = b }).ToArray());
        var definition = new JsonObject
        {
            ["id"] = id,
            ["start"] = names[0],
            ["nodes"] = nodes,
            ["edges"] = edges,
        };
        if (timeout is not null)
        {
            definition["timeout"] = timeout;
        }

        if (input is not null)
        {
            definition["input"] = input;
        }

        return (id, await grains.GetGrain<IWorkflowDefinitionGrain>(TenantKey.Scope(tenant ?? TenantKey.DefaultTenant, id)).PublishAsync(definition.ToJsonString()));
    }

    public async Task<IExecutionGrain> StartAsync(string workflowId, JsonNode? input = null, string? executionId = null)
    {
        var execution = grains.GetGrain<IExecutionGrain>(executionId ?? NewId("ex"));
        var started = await execution.StartAsync(new StartExecution(workflowId, null, input?.ToJsonString()));
        Assert.Equal(StartOutcome.Started, started.Outcome);
        return execution;
    }

    public static async Task<ExecutionSnapshot> TerminalAsync(IExecutionGrain execution)
    {
        var until = DateTime.UtcNow + Deadline;
        ExecutionSnapshot? snapshot = null;
        while (DateTime.UtcNow < until)
        {
            snapshot = await execution.WaitAsync(TimeSpan.FromSeconds(5));
            if (snapshot is { IsTerminal: true })
            {
                return snapshot;
            }
        }

        Assert.Fail($"expected a terminal status within {Deadline}; last seen {snapshot?.Status} at node {snapshot?.CurrentNodeId}");
        return null!;
    }

    /// <summary>Every retained event, read page by page.</summary>
    public static async Task<List<ExecutionEvent>> EventsAsync(IExecutionGrain execution, long after = 0)
    {
        var events = new List<ExecutionEvent>();
        while (true)
        {
            var page = await execution.GetEventsAsync(after, 100);
            events.AddRange(page.Events);
            if (page.Events.Count == 0)
            {
                return events;
            }

            after = page.Next;
        }
    }

    /// <summary>Polls the log until an event of <paramref name="type"/> appears; fails naming what was seen.</summary>
    public static async Task<ExecutionEvent> EventAsync(IExecutionGrain execution, string type, string? nodeId = null)
    {
        bool Matches(ExecutionEvent e) => e.Type == type && (nodeId is null || e.NodeId == nodeId);
        var events = await Polling.UntilAsync(() => EventsAsync(execution), seen => seen.Any(Matches), Deadline, TimeSpan.FromMilliseconds(20));
        if (events.FirstOrDefault(Matches) is { } found)
        {
            return found;
        }

        Assert.Fail($"expected event {type}{(nodeId is null ? "" : $" of {nodeId}")} within {Deadline}; saw {string.Join(", ", events.Select(e => e.Type))}");
        return null!;
    }

    public static async Task SignalAsync(TaskCompletionSource signal, string what)
    {
        try
        {
            await signal.Task.WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"expected {what} within {Deadline}");
        }
    }

    public static void AssertGapFree(IReadOnlyList<ExecutionEvent> events, long first = 1)
    {
        for (var i = 0; i < events.Count; i++)
        {
            Assert.True(events[i].Seq == first + i, $"expected seq {first + i} at position {i}, saw {events[i].Seq} ({string.Join(",", events.Select(e => e.Seq))})");
        }
    }

    /// <summary>Polls until <paramref name="ready"/> holds and no silo hosts <paramref name="execution"/>; false when the deadline passed first.</summary>
    public async Task<bool> ActivationGoneAsync(IExecutionGrain execution, Func<bool>? ready = null)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        async Task<bool> GoneAsync() => (ready?.Invoke() ?? true) && !(await management.GetDetailedGrainStatistics()).Any(s => s.GrainId == execution.GetGrainId());
        return await Polling.UntilAsync(GoneAsync, Deadline, TimeSpan.FromMilliseconds(50));
    }

    public static JsonObject Node(string type, JsonObject? with = null, string? timeout = null, JsonObject? retry = null)
    {
        var node = new JsonObject { ["type"] = type };
        if (with is not null)
        {
            node["with"] = with;
        }

        if (timeout is not null)
        {
            node["timeout"] = timeout;
        }

        if (retry is not null)
        {
            node["retry"] = retry;
        }

        return node;
    }
}
