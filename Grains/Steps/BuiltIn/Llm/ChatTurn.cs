using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>One streamed answer of the model: its text, the tools it called, and what it cost.</summary>
public sealed record ChatTurn(string Content, IReadOnlyList<ToolCall> ToolCalls, ChatUsage Usage, string Model)
{
    /// <summary>The turn as the agent's journal keeps it.</summary>
    public JsonObject ToJson() => new()
    {
        ["content"] = Content,
        ["toolCalls"] = new JsonArray(ToolCalls.Select(c => (JsonNode)new JsonObject { ["id"] = c.Id, ["name"] = c.Name, ["arguments"] = c.Arguments }).ToArray()),
        ["usage"] = Usage.ToJson(),
        ["model"] = Model,
    };

    public static ChatTurn FromJson(JsonObject turn) => new(
        Text(turn["content"]),
        (turn["toolCalls"] as JsonArray ?? []).Select(c => new ToolCall(Text(c?["id"]), Text(c?["name"]), Text(c?["arguments"]))).ToList(),
        new ChatUsage(Int(turn["usage"]?["promptTokens"]), Int(turn["usage"]?["completionTokens"])),
        Text(turn["model"]));

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static int Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
}

/// <summary>A tool call the model made; <see cref="Arguments"/> is the JSON text it streamed.</summary>
public sealed record ToolCall(string Id, string Name, string Arguments)
{
    public JsonObject ToMessagePart() => new()
    {
        ["id"] = Id,
        ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = Name, ["arguments"] = Arguments },
    };
}

/// <summary>Tokens of one call, as the server reported them or, failing that, counted from the chunks.</summary>
public sealed record ChatUsage(int PromptTokens, int CompletionTokens)
{
    public static readonly ChatUsage Zero = new(0, 0);

    public ChatUsage Add(ChatUsage other) => new(PromptTokens + other.PromptTokens, CompletionTokens + other.CompletionTokens);

    public JsonObject ToJson() => new() { ["promptTokens"] = PromptTokens, ["completionTokens"] = CompletionTokens };
}
