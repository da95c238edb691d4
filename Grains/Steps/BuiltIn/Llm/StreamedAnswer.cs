using System.Text;
using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// Accumulates the chunks of a streamed chat completion: content deltas, tool-call deltas (their
/// name and arguments arrive in pieces, keyed by index) and the usage a final chunk may carry.
/// </summary>
internal sealed class StreamedAnswer(string model)
{
    private readonly StringBuilder _content = new();
    private readonly SortedDictionary<int, (StringBuilder Id, StringBuilder Name, StringBuilder Arguments)> _toolCalls = [];
    private string _model = model;
    private ChatUsage? _usage;
    private int _chunks;

    /// <summary>Applies one chunk; returns its content delta, if any.</summary>
    public string? Apply(JsonNode? chunk)
    {
        if (chunk?["model"] is JsonValue m && m.TryGetValue<string>(out var model) && model.Length > 0)
        {
            _model = model;
        }

        if (chunk?["usage"] is JsonObject usage)
        {
            _usage = new ChatUsage(Int(usage["prompt_tokens"]), Int(usage["completion_tokens"]));
        }

        var delta = chunk?["choices"] is JsonArray { Count: > 0 } choices ? choices[0]?["delta"] : null;
        foreach (var call in delta?["tool_calls"] as JsonArray ?? [])
        {
            var index = call?["index"] is JsonValue i && i.TryGetValue<int>(out var n) ? n : 0;
            if (!_toolCalls.TryGetValue(index, out var parts))
            {
                parts = (new StringBuilder(), new StringBuilder(), new StringBuilder());
                _toolCalls[index] = parts;
            }

            parts.Id.Append(Text(call?["id"]));
            parts.Name.Append(Text(call?["function"]?["name"]));
            parts.Arguments.Append(Text(call?["function"]?["arguments"]));
        }

        var content = Text(delta?["content"]);
        if (content.Length > 0)
        {
            _content.Append(content);
            _chunks++;
        }

        return content;
    }

    public ChatTurn ToTurn() => new(
        _content.ToString(),
        _toolCalls.Select(c => new ToolCall(c.Value.Id.Length > 0 ? c.Value.Id.ToString() : $"call_{c.Key}", c.Value.Name.ToString(), c.Value.Arguments.ToString())).ToList(),
        _usage ?? new ChatUsage(0, _chunks),
        _model);

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static int Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
}
