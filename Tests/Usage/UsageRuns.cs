using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Usage;

/// <summary>Workflows with a budget, and the model-call nodes the usage tests run, against the cluster's simulator.</summary>
internal sealed class UsageRuns(IGrainFactory grains)
{
    /// <summary>Publishes <paramref name="nodes"/>, chained in order, with the definition's <paramref name="budget"/>.</summary>
    public async Task<string> PublishAsync(JsonObject nodes, JsonObject? budget = null, string tenant = TenantKey.DefaultTenant)
    {
        var id = NewId("wf");
        var names = nodes.Select(n => n.Key).ToList();
        var definition = new JsonObject
        {
            ["id"] = id,
            ["start"] = names[0],
            ["nodes"] = nodes,
            ["edges"] = new JsonArray(names.Zip(names.Skip(1), (a, b) => (JsonNode)new JsonObject { ["from"] = a, ["to"] = b }).ToArray()),
        };
        if (budget is not null)
        {
            definition["budget"] = budget;
        }

        var published = await grains.GetGrain<IWorkflowDefinitionGrain>(TenantKey.Scope(tenant, id)).PublishAsync(definition.ToJsonString());
        Assert.True(published.IsValid, string.Join("; ", published.Problems.Select(p => $"{p.Pointer}: {p.Message}")));
        return id;
    }

    public async Task<IExecutionGrain> StartAsync(string workflowId, ExecutionBudget? budget = null, string tenant = TenantKey.DefaultTenant)
    {
        var execution = grains.GetGrain<IExecutionGrain>(TenantKey.Scope(tenant, NewId("ex")));
        var started = await execution.StartAsync(new StartExecution(workflowId, null, null) { Budget = budget });
        Assert.Equal(StartOutcome.Started, started.Outcome);
        return execution;
    }

    /// <summary>Polls until the execution waits for the signal <paramref name="signal"/>.</summary>
    public static async Task<ExecutionSnapshot> WaitingForAsync(IExecutionGrain execution, string signal)
    {
        var seen = await Polling.UntilAsync(execution.GetAsync, s => s is { Status: ExecutionStatus.Waiting } && s.WaitingFor.Any(w => w.Signal == signal), Deadline, TimeSpan.FromMilliseconds(20));
        Assert.True(seen is { Status: ExecutionStatus.Waiting }, $"expected the execution to wait for '{signal}'; saw {seen?.Status} ({seen?.Error?.Type} {seen?.Error?.Message})");
        return seen!;
    }

    public static JsonObject Llm(string prompt, string? model = null, string? provider = null)
    {
        var with = new JsonObject { ["prompt"] = prompt };
        if (model is not null)
        {
            with["model"] = model;
        }

        if (provider is not null)
        {
            with["provider"] = provider;
        }

        return Node("llm", with);
    }

    /// <summary>An agent whose one tool is a transform step: cheap to call, so the model's turns are all that cost.</summary>
    public static JsonObject Agent(string prompt, string? model = null, int? maxTurns = null, JsonObject? retry = null, JsonObject? tool = null)
    {
        var with = new JsonObject
        {
            ["prompt"] = prompt,
            ["tools"] = new JsonArray(tool ?? new JsonObject
            {
                ["name"] = "echo",
                ["description"] = "echoes the query",
                ["step"] = new JsonObject { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject { ["echoed"] = "${{ args.query }}" } } },
            }),
        };
        if (model is not null)
        {
            with["model"] = model;
        }

        if (maxTurns is not null)
        {
            with["maxTurns"] = maxTurns;
        }

        return Node("agent", with, retry: retry);
    }
}
