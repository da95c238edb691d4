using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentOrleans.Grains.Expressions;

namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// Reads the definition format (see schemas/workflow.json) from a JSON tree, checking shapes
/// and values and listing every problem with its pointer. Graph and step checks are the
/// compiler's.
/// </summary>
public static partial class DefinitionReader
{
    private static readonly string[] TopLevel = ["$schema", "id", "description", "start", "timeout", "input", "nodes", "edges"];
    private static readonly string[] NodeFields = ["type", "description", "with", "timeout", "retry", "maxVisits", "needs"];
    private static readonly string[] RetryFields = ["maxAttempts", "initialDelay", "backoff", "maxDelay", "jitter", "nonRetryable"];
    private static readonly string[] EdgeFields = ["from", "to", "when"];

    public static WorkflowDefinition? Read(JsonNode? root, ProblemList problems)
    {
        if (root is not JsonObject doc)
        {
            problems.Add("", "a definition must be a JSON object");
            return null;
        }

        RejectUnknown(doc, "", TopLevel, problems);
        var id = RequiredString(doc, "id", "", problems);
        if (id is not null && !WorkflowId().IsMatch(id))
        {
            problems.Add("/id", "must start with a letter or digit and hold only letters, digits, '.', '_' and '-' (at most 128)");
        }

        var description = OptionalString(doc, "description", "", problems);
        var start = RequiredString(doc, "start", "", problems);
        var timeout = OptionalDuration(doc, "timeout", "", problems);
        var input = doc["input"];
        if (input is not null and not JsonObject)
        {
            problems.Add("/input", "must be a JSON Schema object");
        }

        var nodes = ReadNodes(doc["nodes"], problems);
        var edges = ReadEdges(doc["edges"], problems);
        return id is null || start is null || nodes is null
            ? null
            : new WorkflowDefinition(id, description, start, timeout, input as JsonObject, nodes, edges);
    }

    private static Dictionary<string, NodeDefinition>? ReadNodes(JsonNode? value, ProblemList problems)
    {
        if (value is not JsonObject nodes)
        {
            problems.Add("/nodes", value is null ? "is required" : "must be an object of node id to node");
            return null;
        }

        if (nodes.Count == 0)
        {
            problems.Add("/nodes", "must hold at least one node");
        }

        var result = new Dictionary<string, NodeDefinition>(StringComparer.Ordinal);
        foreach (var (nodeId, nodeValue) in nodes)
        {
            var pointer = $"/nodes/{JsonPointer.Escape(nodeId)}";
            if (nodeId == EdgeDefinition.End)
            {
                problems.Add(pointer, "'end' is reserved for edges that end the run");
            }
            else if (!NodeId().IsMatch(nodeId))
            {
                problems.Add(pointer, "a node id starts with a letter or '_' and holds only letters, digits, '_' and '-' (at most 64)");
            }

            if (ReadNode(nodeId, nodeValue, pointer, problems) is { } node)
            {
                result[nodeId] = node;
            }
        }

        return result;
    }

    private static NodeDefinition? ReadNode(string nodeId, JsonNode? value, string pointer, ProblemList problems)
    {
        if (value is not JsonObject node)
        {
            problems.Add(pointer, "a node must be an object");
            return null;
        }

        RejectUnknown(node, pointer, NodeFields, problems);
        var type = RequiredString(node, "type", pointer, problems);
        OptionalString(node, "description", pointer, problems);
        var with = node["with"];
        if (with is not null and not JsonObject)
        {
            problems.Add($"{pointer}/with", "must be an object of settings");
        }

        var timeout = OptionalDuration(node, "timeout", pointer, problems);
        var retry = ReadRetry(node["retry"], $"{pointer}/retry", problems);
        var maxVisits = OptionalInt(node, "maxVisits", pointer, 1, int.MaxValue, problems);
        var needs = ReadNeeds(node["needs"], $"{pointer}/needs", problems);
        return type is null ? null : new NodeDefinition(nodeId, type, with as JsonObject, timeout, retry, maxVisits, needs);
    }

    private static RetryPolicy ReadRetry(JsonNode? value, string pointer, ProblemList problems)
    {
        if (value is null)
        {
            return RetryPolicy.None;
        }

        if (value is not JsonObject retry)
        {
            problems.Add(pointer, "must be an object");
            return RetryPolicy.None;
        }

        RejectUnknown(retry, pointer, RetryFields, problems);
        var defaults = RetryPolicy.None;
        var nonRetryable = new List<string>();
        if (retry["nonRetryable"] is { } list)
        {
            if (list is JsonArray array && array.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String))
            {
                nonRetryable.AddRange(array.Select(i => i!.GetValue<string>()));
            }
            else
            {
                problems.Add($"{pointer}/nonRetryable", "must be an array of error type names");
            }
        }

        return new RetryPolicy(
            OptionalInt(retry, "maxAttempts", pointer, 1, 1000, problems) ?? defaults.MaxAttempts,
            OptionalDuration(retry, "initialDelay", pointer, problems) ?? defaults.InitialDelay,
            OptionalNumber(retry, "backoff", pointer, 1, 100, problems) ?? defaults.Backoff,
            OptionalDuration(retry, "maxDelay", pointer, problems) ?? defaults.MaxDelay,
            OptionalNumber(retry, "jitter", pointer, 0, 1, problems) ?? defaults.Jitter,
            nonRetryable);
    }

    private static Dictionary<string, int> ReadNeeds(JsonNode? value, string pointer, ProblemList problems)
    {
        var needs = new Dictionary<string, int>(StringComparer.Ordinal);
        if (value is null)
        {
            return needs;
        }

        if (value is not JsonObject obj)
        {
            problems.Add(pointer, "must be an object of pool name to permit count");
            return needs;
        }

        foreach (var (pool, _) in obj)
        {
            if (OptionalInt(obj, pool, pointer, 1, 10_000, problems) is { } count)
            {
                needs[pool] = count;
            }
        }

        return needs;
    }

    private static List<EdgeDefinition> ReadEdges(JsonNode? value, ProblemList problems)
    {
        var edges = new List<EdgeDefinition>();
        if (value is null)
        {
            return edges;
        }

        if (value is not JsonArray array)
        {
            problems.Add("/edges", "must be an array of edges");
            return edges;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var pointer = $"/edges/{i}";
            if (array[i] is not JsonObject edge)
            {
                problems.Add(pointer, "an edge must be an object with 'from' and 'to'");
                continue;
            }

            RejectUnknown(edge, pointer, EdgeFields, problems);
            var from = RequiredString(edge, "from", pointer, problems);
            var to = RequiredString(edge, "to", pointer, problems);
            var when = OptionalString(edge, "when", pointer, problems);
            if (from is not null && to is not null)
            {
                edges.Add(new EdgeDefinition(i, from, to, when));
            }
        }

        return edges;
    }

    private static void RejectUnknown(JsonObject obj, string pointer, string[] known, ProblemList problems)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                problems.Add($"{pointer}/{JsonPointer.Escape(key)}", $"unknown field '{key}'; expected one of: {string.Join(", ", known)}");
            }
        }
    }

    private static string? RequiredString(JsonObject obj, string name, string pointer, ProblemList problems)
    {
        if (obj[name] is null)
        {
            problems.Add($"{pointer}/{name}", "is required");
            return null;
        }

        return OptionalString(obj, name, pointer, problems);
    }

    private static string? OptionalString(JsonObject obj, string name, string pointer, ProblemList problems)
    {
        var value = obj[name];
        if (value is null)
        {
            return null;
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        problems.Add($"{pointer}/{name}", "must be a string");
        return null;
    }

    private static TimeSpan? OptionalDuration(JsonObject obj, string name, string pointer, ProblemList problems)
    {
        var text = OptionalString(obj, name, pointer, problems);
        if (text is null)
        {
            return null;
        }

        if (Duration.TryParse(text, out var value))
        {
            return value;
        }

        problems.Add($"{pointer}/{name}", $"'{text}' is not {Duration.Expected}");
        return null;
    }

    private static int? OptionalInt(JsonObject obj, string name, string pointer, int min, int max, ProblemList problems)
    {
        var value = obj[name];
        if (value is null)
        {
            return null;
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) && n >= min && n <= max)
        {
            return n;
        }

        problems.Add($"{pointer}/{JsonPointer.Escape(name)}", $"must be a whole number from {min} to {max}");
        return null;
    }

    private static double? OptionalNumber(JsonObject obj, string name, string pointer, double min, double max, ProblemList problems)
    {
        var value = obj[name];
        if (value is null)
        {
            return null;
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var n) && n >= min && n <= max)
        {
            return n;
        }

        problems.Add($"{pointer}/{name}", $"must be a number from {min} to {max}");
        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\z")]
    public static partial Regex WorkflowId();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_-]{0,63}\z")]
    private static partial Regex NodeId();
}
