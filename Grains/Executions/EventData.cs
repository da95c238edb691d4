using System.Text;
using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Executions;

/// <summary>The <c>data</c> shapes several events share.</summary>
internal static class EventData
{
    public static JsonObject Error(string type, string message) => new() { ["type"] = type, ["message"] = message };

    /// <summary>Problems as they read in a problem document: <c>[{pointer, detail}]</c>.</summary>
    public static JsonArray Problems(IEnumerable<Workflows.DefinitionProblem> problems) =>
        new(problems.Select(p => (JsonNode?)new JsonObject { ["pointer"] = p.Pointer, ["detail"] = p.Message }).ToArray());

    /// <summary>
    /// <c>by</c>, who caused the event (a key's name, a token's subject), when known: with authentication off there
    /// is nobody to name, and the event reads as it did before callers were named.
    /// </summary>
    public static JsonObject WithBy(this JsonObject data, string? by)
    {
        if (by is not null)
        {
            data["by"] = by;
        }

        return data;
    }

    public static JsonArray Nodes(IReadOnlyList<string> nodeIds) => new(nodeIds.Select(n => (JsonNode?)n).ToArray());

    /// <summary>A chunk over the payload limit is replaced by a marker, so one huge chunk cannot bloat the log.</summary>
    public static JsonObject Progress(JsonNode[] chunks, int maxPayloadBytes)
    {
        var items = chunks.Select(c => Encoding.UTF8.GetByteCount(c.ToJsonString()) > maxPayloadBytes
            ? new JsonObject { ["truncated"] = true, ["reason"] = $"chunk over {maxPayloadBytes} bytes" }
            : c.DeepClone());
        return new JsonObject { ["chunks"] = new JsonArray(items.ToArray()) };
    }
}
