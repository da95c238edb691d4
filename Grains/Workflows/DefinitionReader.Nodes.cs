using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;

namespace AgentOrleans.Grains.Workflows;

/// <summary>The nodes: each node's fields, its retry policy and the resource pools it needs.</summary>
public static partial class DefinitionReader
{
    private static readonly string[] NodeFields = ["type", "description", "with", "timeout", "retry", "maxVisits", "needs", "cache"];
    private static readonly string[] RetryFields = ["maxAttempts", "initialDelay", "backoff", "maxDelay", "jitter", "nonRetryable"];

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
        var cache = ReadCache(node["cache"], $"{pointer}/cache", problems);
        return type is null ? null : new NodeDefinition(nodeId, type, with as JsonObject, timeout, retry, maxVisits, needs) { Cache = cache };
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
}
