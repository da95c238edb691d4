using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Api.Problems;

/// <summary>
/// What every body that names a run to start shares (<c>POST /v1/executions</c>, <c>PUT /v1/schedules/{id}</c>): a
/// JSON object of known fields, a <c>workflowId</c> and an optional <c>version</c>; each problem added at its pointer.
/// </summary>
public static class StartFields
{
    /// <summary>The body as an object, or null with a problem that shows <paramref name="example"/>.</summary>
    public static JsonObject? ReadObject(string text, ProblemList problems, string example)
    {
        if (DefinitionDocument.ParseJson(text, problems) is JsonObject body)
        {
            return body;
        }

        if (problems.Count == 0)
        {
            problems.Add("", $"the body must be a JSON object: {example}");
        }

        return null;
    }

    /// <summary>A problem for each field of <paramref name="body"/> not in <paramref name="fields"/>.</summary>
    public static void RefuseUnknown(JsonObject body, IReadOnlyCollection<string> fields, ProblemList problems)
    {
        foreach (var (key, _) in body)
        {
            if (!fields.Contains(key))
            {
                problems.Add($"/{key}", $"unknown field '{key}'; expected one of: {string.Join(", ", fields)}");
            }
        }
    }

    public static string? ReadWorkflowId(JsonObject body, ProblemList problems)
    {
        if (body["workflowId"] is JsonValue id && id.GetValueKind() == JsonValueKind.String && DefinitionReader.WorkflowId().IsMatch(id.GetValue<string>()))
        {
            return id.GetValue<string>();
        }

        problems.Add("/workflowId", body["workflowId"] is null ? "is required" : "must be a workflow id (letters, digits, '.', '_', '-')");
        return null;
    }

    public static int? ReadVersion(JsonObject body, ProblemList problems)
    {
        if (body["version"] is not { } v)
        {
            return null;
        }

        if (v is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue<int>(out var n) && n >= 1)
        {
            return n;
        }

        problems.Add("/version", "must be a version number (1 or more)");
        return null;
    }
}
