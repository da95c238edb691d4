using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Api.Executions;

/// <summary>The body of <c>POST /v1/executions</c>: <c>{workflowId, version?, input?, priority?, startAt? | startAfter?}</c>.</summary>
public sealed record StartExecutionRequest(string WorkflowId, int? Version, JsonNode? Input, int Priority = 0)
{
    private static readonly string[] Fields = ["workflowId", "version", "input", "priority", "startAt", "startAfter"];

    /// <summary>When the run begins (an ISO 8601 timestamp); in the past it begins now.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>How long after the request the run begins.</summary>
    public TimeSpan? StartAfter { get; init; }

    /// <summary>Reads the body, listing every problem with its pointer.</summary>
    public static StartExecutionRequest? Parse(string text, ProblemList problems)
    {
        var document = DefinitionDocument.ParseJson(text, problems);
        if (document is not JsonObject body)
        {
            if (problems.Count == 0)
            {
                problems.Add("", "the body must be a JSON object: {\"workflowId\": \"…\", \"version\": 1, \"input\": {…}}");
            }

            return null;
        }

        foreach (var (key, _) in body)
        {
            if (!Fields.Contains(key))
            {
                problems.Add($"/{key}", $"unknown field '{key}'; expected one of: {string.Join(", ", Fields)}");
            }
        }

        string? workflowId = null;
        if (body["workflowId"] is JsonValue id && id.GetValueKind() == JsonValueKind.String && DefinitionReader.WorkflowId().IsMatch(id.GetValue<string>()))
        {
            workflowId = id.GetValue<string>();
        }
        else
        {
            problems.Add("/workflowId", body["workflowId"] is null ? "is required" : "must be a workflow id (letters, digits, '.', '_', '-')");
        }

        int? version = null;
        if (body["version"] is { } v)
        {
            if (v is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue<int>(out var n) && n >= 1)
            {
                version = n;
            }
            else
            {
                problems.Add("/version", "must be a version number (1 or more)");
            }
        }

        var priority = 0;
        if (body["priority"] is { } p && !(p is JsonValue whole && whole.GetValueKind() == JsonValueKind.Number && whole.TryGetValue(out priority)))
        {
            problems.Add("/priority", "must be a whole number (higher is served first by resource pools)");
        }

        var (startAt, startAfter) = DelayedStart.Read(body, problems);
        return problems.Count == 0
            ? new StartExecutionRequest(workflowId!, version, body["input"]?.DeepClone(), priority) { StartAt = startAt, StartAfter = startAfter }
            : null;
    }
}
