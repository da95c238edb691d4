using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Webhooks;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Api.Webhooks;

/// <summary>
/// The body of <c>PUT /v1/webhooks/{id}</c>: <c>url</c>, <c>events</c> (event types), <c>workflowId?</c> (only that
/// workflow's executions), <c>secret?</c> (<c>whsec_…</c>; made when absent). Every problem listed by its pointer; the
/// URL's destination is judged by the webhook's grain, on a silo, which knows the guard's rules.
/// </summary>
public static class WebhookRequest
{
    private static readonly string[] Fields = ["url", "events", "workflowId", "secret"];

    private const string Example = "{\"url\": \"https://example.com/hook\", \"events\": [\"execution.completed\"]}";

    public static WebhookSpec? Parse(string text, ProblemList problems)
    {
        var body = StartFields.ReadObject(text, problems, Example);
        if (body is null)
        {
            return null;
        }

        StartFields.RefuseUnknown(body, Fields, problems);
        var url = ReadString(body, "url", problems, required: true);
        var events = ReadEvents(body, problems);
        var workflowId = ReadString(body, "workflowId", problems, required: false);
        if (workflowId is not null && !DefinitionReader.WorkflowId().IsMatch(workflowId))
        {
            problems.Add("/workflowId", "must be a workflow id (letters, digits, '.', '_', '-')");
        }

        var secret = ReadString(body, "secret", problems, required: false);
        // Returned with what was read even beside other problems, so the caller's checks of its values add theirs.
        return url is not null && events is not null ? new WebhookSpec(url, events, workflowId, secret) : null;
    }

    private static string? ReadString(JsonObject body, string name, ProblemList problems, bool required)
    {
        if (body[name] is not { } node)
        {
            if (required)
            {
                problems.Add($"/{name}", "is required");
            }

            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text)
        {
            return text;
        }

        problems.Add($"/{name}", "must be a non-empty string");
        return null;
    }

    private static List<string>? ReadEvents(JsonObject body, ProblemList problems)
    {
        if (body["events"] is not JsonArray array)
        {
            problems.Add("/events", body["events"] is null ? "is required" : "must be an array of event types");
            return null;
        }

        var events = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                events.Add(value.GetValue<string>());
            }
            else
            {
                problems.Add($"/events/{i}", "must be an event type (a string)");
            }
        }

        return events;
    }
}
