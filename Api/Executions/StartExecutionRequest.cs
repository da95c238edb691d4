using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Api.Problems;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Usage;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Api.Executions;

/// <summary>The body of <c>POST /v1/executions</c>: <c>{workflowId, version?, input?, priority?, startAt? | startAfter?, labels?, budget?}</c>.</summary>
public sealed record StartExecutionRequest(string WorkflowId, int? Version, JsonNode? Input, int Priority = 0)
{
    private static readonly string[] Fields = ["workflowId", "version", "input", "priority", "startAt", "startAfter", "labels", "budget"];

    /// <summary>When the run begins (an ISO 8601 timestamp); in the past it begins now.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>How long after the request the run begins.</summary>
    public TimeSpan? StartAfter { get; init; }

    /// <summary>Reads the body, listing every problem with its pointer.</summary>
    /// <summary>The caller's labels, bounded by <see cref="LabelOptions"/>.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>The caller's budget for the run's model calls (<c>{"tokens"?, "cost"?, "onBudget"?}</c>); the definition's, when smaller, still applies.</summary>
    public ExecutionBudget? Budget { get; init; }

    public static StartExecutionRequest? Parse(string text, ProblemList problems, LabelOptions? labelOptions = null)
    {
        var body = StartFields.ReadObject(text, problems, "{\"workflowId\": \"…\", \"version\": 1, \"input\": {…}}");
        if (body is null)
        {
            return null;
        }

        StartFields.RefuseUnknown(body, Fields, problems);
        var workflowId = StartFields.ReadWorkflowId(body, problems);
        var version = StartFields.ReadVersion(body, problems);

        var priority = 0;
        if (body["priority"] is { } p && !(p is JsonValue whole && whole.GetValueKind() == JsonValueKind.Number && whole.TryGetValue(out priority)))
        {
            problems.Add("/priority", "must be a whole number (higher is served first by resource pools)");
        }

        var (startAt, startAfter) = DelayedStart.Read(body, problems);
        var labels = ExecutionsListLabels.Read(body["labels"], labelOptions ?? new LabelOptions(), problems);
        var budget = BudgetReader.Read(body["budget"], "/budget", problems);
        return problems.Count == 0
            ? new StartExecutionRequest(workflowId!, version, body["input"]?.DeepClone(), priority) { StartAt = startAt, StartAfter = startAfter, Labels = labels, Budget = budget }
            : null;
    }
}
