using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Tests.Steps.Llm;

/// <summary>Reads what LLM steps put in events: the progress chunks of a node, attempt by attempt.</summary>
internal static class LlmEvents
{
    public static List<JsonNode> Chunks(IEnumerable<ExecutionEvent> events, int? attempt = null) =>
        events.Where(e => e.Type == EventTypes.NodeProgress && (attempt is null || e.Attempt == attempt))
            .OrderBy(e => e.Seq)
            .SelectMany(e => JsonNode.Parse(e.DataJson!)!["chunks"]!.AsArray())
            .Select(c => c!)
            .ToList();

    public static string Tokens(IEnumerable<ExecutionEvent> events, int? attempt = null) =>
        string.Concat(Chunks(events, attempt).Select(c => c["token"]?.GetValue<string>() ?? ""));

    public static JsonNode Output(ExecutionSnapshot done, string nodeId) => JsonNode.Parse(done.ResultJson!)![nodeId]!;
}
