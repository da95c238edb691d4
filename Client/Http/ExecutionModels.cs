using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Client.Http;

/// <summary>What <see cref="AgentOrleansClient.StartAsync"/> sends: the workflow, its input, and optionally when to begin.</summary>
public sealed record StartRequest(string WorkflowId, JsonNode? Input = null)
{
    public int? Version { get; init; }

    public int? Priority { get; init; }

    /// <summary>Begin at this time instead of now (the run is <c>scheduled</c> until then).</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>Begin after this long (a duration such as <c>"30s"</c>, <c>"2h"</c>).</summary>
    public string? StartAfter { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

/// <summary>The answer to a start: the id at once and the status.</summary>
public sealed record StartedExecution(string Id, string Status, DateTimeOffset? ScheduledFor, string? Note);

/// <summary>An execution as the API shows it (GET /v1/executions/{id}).</summary>
public sealed record Execution(
    string Id,
    string WorkflowId,
    int Version,
    string Status,
    JsonNode? Input,
    JsonNode? Result,
    ExecutionError? Error,
    ExecutionCurrentNode? CurrentNode,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    long LastSeq,
    bool CancelRequested,
    bool PauseRequested,
    DateTimeOffset? ScheduledFor,
    IReadOnlyList<ExecutionWait>? WaitingFor)
{
    /// <summary>Whether the run has ended (succeeded, failed, cancelled or timed out): nothing about it changes any more.</summary>
    public bool IsTerminal => Status is "succeeded" or "failed" or "cancelled" or "timed_out";
}

public sealed record ExecutionCurrentNode(string Id, int Attempt);

/// <summary>A signal a waiting execution waits for; <see cref="Approval"/> when it is an agent's tool call held for approval.</summary>
public sealed record ExecutionWait(string NodeId, string Signal, DateTimeOffset? Until, ToolCallApproval? Approval);

public sealed record ToolCallApproval(string ToolCallId, string Name, JsonNode? Arguments);

/// <summary>The answer to a cancel: whether it was taken (false when the run had already ended).</summary>
public sealed record CancelAnswer(string Id, bool Accepted, string? Status, string Message);

/// <summary>The answer to a pause or resume: whether anything changed.</summary>
public sealed record ControlAnswer(string Id, bool Changed, string? Status, string Message);

/// <summary>The answer to a signal: its id when taken, and the execution's status.</summary>
public sealed record SignalAnswer(string Id, string Signal, string? SignalId, string? Status, string Message)
{
    /// <summary>False when the same idempotency key was taken before: this send changed nothing.</summary>
    public bool Taken { get; init; }
}
