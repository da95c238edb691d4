using System.Text.Json.Nodes;

namespace AgentOrleans.Client.Http;

/// <summary>What a re-run sends: the node to begin at (default: where the original stopped) and a replacement input.</summary>
public sealed record RerunRequest(string? FromNode = null, JsonNode? Input = null);

/// <summary>The answer to a re-run: the new execution, linked to the original.</summary>
public sealed record StartedRerun(string Id, string Status, string RerunOf, string FromNode);

/// <summary>A bulk cancel or re-run and its progress (<c>GET /v1/bulk/{id}</c>).</summary>
public sealed record BulkOperation(
    string Id,
    string Action,
    string Status,
    long Matched,
    long Done,
    long Skipped,
    long Failed,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Reason,
    string? FromNode,
    IReadOnlyList<BulkOperationError> Errors)
{
    /// <summary>Whether the operation has gone through every matching execution.</summary>
    public bool IsCompleted => CompletedAt is not null;
}

public sealed record BulkOperationError(string ExecutionId, string Message);
