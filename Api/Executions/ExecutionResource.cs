using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AgentOrleans.Api.Tenants;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Usage;

namespace AgentOrleans.Api.Executions;

/// <summary>An execution as the API shows it.</summary>
public sealed record ExecutionResource(
    string Id,
    string WorkflowId,
    int Version,
    string Status,
    JsonNode? Input,
    JsonNode? Result,
    ExecutionError? Error,
    CurrentNode? CurrentNode,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    long LastSeq,
    bool CancelRequested,
    ParentLink? Parent,
    IReadOnlyList<WaitingForSignal> WaitingFor,
    bool PauseRequested,
    ExecutionLinks Links)
{
    /// <summary>The snapshot as its caller sees it: its id (a grain key) without the tenant.</summary>
    public static ExecutionResource From(ExecutionSnapshot s) => From(s, TenantScope.Shown(s.Id));

    private static ExecutionResource From(ExecutionSnapshot s, string id) => new(
        id,
        s.WorkflowId,
        s.Version,
        s.Status.ToWireName(),
        s.InputJson is null ? null : JsonNode.Parse(s.InputJson),
        s.ResultJson is null ? null : JsonNode.Parse(s.ResultJson),
        s.Error,
        s.CurrentNodeId is null ? null : new CurrentNode(s.CurrentNodeId, s.CurrentAttempt ?? 1, s.WaitingForPool is null ? null : new PoolWait(s.WaitingForPool, s.PoolPosition)),
        s.CreatedAt,
        s.StartedAt,
        s.CompletedAt,
        s.LastSeq,
        s.CancelRequested,
        s.Parent,
        s.WaitingFor.Select(WaitingForSignal.From).ToList(),
        s.PauseRequested,
        ExecutionLinks.For(id))
    {
        ScheduledFor = s.ScheduledFor,
        RerunOf = s.RerunOf is null ? null : TenantKey.Parse(s.RerunOf).Id,
        RerunFrom = s.RerunFrom,
        Usage = UsageJson.ToJson(s.Usage),
        Budget = s.Budget is null ? null : UsageJson.ToJson(s.Budget),
    };

    /// <summary>Tokens and estimated cost of the run's model calls, its children's included: totals and <c>models</c> by model name.</summary>
    public JsonObject Usage { get; init; } = [];

    /// <summary>The budget in force (<c>{tokens?, cost?, onBudget}</c>); absent when unlimited.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Budget { get; init; }

    /// <summary>When a scheduled execution begins (status <c>scheduled</c>).</summary>
    public DateTimeOffset? ScheduledFor { get; init; }

    /// <summary>The execution this one re-runs (<c>POST /v1/executions/{id}/rerun</c>); absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RerunOf { get; init; }

    /// <summary>The node a re-run began at; absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RerunFrom { get; init; }
}

/// <summary>A signal a waiting execution waits for; <c>approval</c> when it decides an agent's tool call (no such field otherwise).</summary>
public sealed record WaitingForSignal(
    string NodeId,
    string Signal,
    DateTimeOffset? Until,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PendingToolCall? Approval)
{
    public static WaitingForSignal From(SignalWait wait) => new(
        wait.NodeId,
        wait.Signal,
        wait.Until,
        wait.Approval is { } call ? new PendingToolCall(call.ToolCallId, call.Name, JsonNode.Parse(call.ArgumentsJson)) : null);
}

/// <summary>A tool call waiting for its approval: the id the <c>approval</c> signal names, the tool, the model's arguments.</summary>
public sealed record PendingToolCall(string ToolCallId, string Name, JsonNode? Arguments);

/// <summary>The current node; <c>waiting</c> when it waits for a resource pool permit.</summary>
public sealed record CurrentNode(string Id, int Attempt, PoolWait? Waiting = null);

/// <summary>The pool a node waits for and its 1-based place in the queue.</summary>
public sealed record PoolWait(string Pool, int? Position);

public sealed record ExecutionLinks(string Self, string Events, string Cancel)
{
    public static ExecutionLinks For(string id)
    {
        var self = $"/v1/executions/{Uri.EscapeDataString(id)}";
        return new ExecutionLinks(self, $"{self}/events", $"{self}/cancel");
    }
}

/// <summary>The answer to a start: the id at once, the status and where to look next.</summary>
public sealed record StartedExecution(string Id, string Status, ExecutionLinks Links)
{
    /// <summary>When a scheduled execution (status <c>scheduled</c>) begins.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }

    /// <summary>What the start made of the request, when it says more than the status (a start time in the past begins now).</summary>
    public string? Note { get; init; }
}

/// <summary>The answer to a cancel request.</summary>
public sealed record CancelAnswer(string Id, bool Accepted, string? Status, string Message);
