using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Steps;

/// <summary>
/// A tool call a step holds back until a person decides on it (see <see cref="StepContext.AwaitApprovals"/>).
/// <see cref="Key"/> is the journal key the decision is recorded under; <see cref="Timeout"/>, counted from when the
/// approval is first asked for, ends the wait with a decision that says it timed out.
/// </summary>
public sealed record ApprovalRequest(string Key, string ToolCallId, string Name, JsonObject Arguments, TimeSpan? Timeout);

/// <summary>
/// What a person decided on a tool call, as the engine records it in the step's journal under the request's key:
/// approved or not, the arguments to run it with instead of the model's (approved only), a comment, who sent it;
/// or, when nobody answered within the request's timeout, <see cref="TimedOut"/>.
/// </summary>
public sealed record ApprovalDecision(bool Approved, JsonObject? Arguments, string? Comment, string? By, string? SignalId, bool TimedOut = false)
{
    public static ApprovalDecision Timeout { get; } = new(false, null, null, null, null, TimedOut: true);

    /// <summary>The decision carried by a valid <c>approval</c> signal's payload (see <see cref="Approvals.Check"/>).</summary>
    public static ApprovalDecision FromSignal(JsonObject payload, string? by, string? signalId) => new(
        payload["approved"]!.GetValue<bool>(),
        payload["arguments"]?.DeepClone() as JsonObject,
        payload["comment"] is JsonValue c && c.TryGetValue<string>(out var comment) ? comment : null,
        by,
        signalId);

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["approved"] = Approved };
        if (Arguments is not null)
        {
            json["arguments"] = Arguments.DeepClone();
        }

        if (Comment is not null)
        {
            json["comment"] = Comment;
        }

        if (By is not null)
        {
            json["by"] = By;
        }

        if (SignalId is not null)
        {
            json["signalId"] = SignalId;
        }

        if (TimedOut)
        {
            json["timedOut"] = true;
        }

        return json;
    }

    public static ApprovalDecision FromJson(JsonObject json) => new(
        json["approved"] is JsonValue a && a.TryGetValue<bool>(out var approved) && approved,
        json["arguments"]?.DeepClone() as JsonObject,
        Text(json["comment"]),
        Text(json["by"]),
        Text(json["signalId"]),
        json["timedOut"] is JsonValue t && t.TryGetValue<bool>(out var timedOut) && timedOut);

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>
/// Thrown through <see cref="StepContext.AwaitApprovals"/>: the attempt stops here for now. The engine parks the run
/// (status <c>waiting</c>, one <c>node.waiting</c> per approval) and, each time one is decided, runs the same attempt
/// again with the decision in its journal; the step replays what it had done and goes on from there.
/// </summary>
public sealed class ApprovalsPendingException(IReadOnlyList<ApprovalRequest> approvals)
    : Exception($"waiting for the approval of {string.Join(", ", approvals.Select(a => $"'{a.Name}' ({a.ToolCallId})"))}")
{
    public IReadOnlyList<ApprovalRequest> Approvals { get; } = approvals;
}

/// <summary>The <c>approval</c> signal: what its payload must be, checked before it is taken.</summary>
public static class Approvals
{
    /// <summary>The name of the signal that decides a pending approval.</summary>
    public const string Signal = "approval";

    private static readonly string[] Properties = ["toolCallId", "approved", "arguments", "comment"];

    /// <summary>
    /// Every problem of an <c>approval</c> signal's <paramref name="payload"/> (<c>{"toolCallId", "approved": bool,
    /// "arguments"?: {…}, "comment"?: "…"}</c>) for the tool calls in <paramref name="pending"/>, at pointers into it.
    /// </summary>
    public static IReadOnlyList<DefinitionProblem> Check(JsonNode? payload, IReadOnlyCollection<string> pending)
    {
        var problems = new ProblemList();
        var ids = pending.Count == 0 ? "none" : string.Join(", ", pending);
        if (payload is not JsonObject decision)
        {
            problems.Add("", $"must be an object {{\"toolCallId\", \"approved\": true|false, \"arguments\"?, \"comment\"?}}; pending tool calls: {ids}");
            return problems;
        }

        foreach (var (name, _) in decision)
        {
            if (!Properties.Contains(name, StringComparer.Ordinal))
            {
                problems.Add($"/{Pointer(name)}", $"unknown property '{name}'; expected: {string.Join(", ", Properties)}");
            }
        }

        if (decision["toolCallId"] is not JsonValue idValue || idValue.GetValueKind() != JsonValueKind.String)
        {
            problems.Add("/toolCallId", $"is required: the id of the tool call decided on; pending tool calls: {ids}");
        }
        else if (!pending.Contains(idValue.GetValue<string>()))
        {
            problems.Add("/toolCallId", $"no approval is pending for tool call '{idValue.GetValue<string>()}'; pending tool calls: {ids}");
        }

        var approved = decision["approved"] is JsonValue a && a.TryGetValue<bool>(out var yes) ? yes : (bool?)null;
        if (approved is null)
        {
            problems.Add("/approved", "is required: true to run the tool call, false to refuse it");
        }

        if (decision["arguments"] is { } arguments)
        {
            if (arguments is not JsonObject)
            {
                problems.Add("/arguments", "must be an object: the arguments the tool runs with instead of the model's");
            }
            else if (approved == false)
            {
                problems.Add("/arguments", "only goes with \"approved\": true");
            }
        }

        if (decision["comment"] is { } comment && (comment is not JsonValue c || c.GetValueKind() != JsonValueKind.String))
        {
            problems.Add("/comment", "must be a string");
        }

        return problems;
    }

    private static string Pointer(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
