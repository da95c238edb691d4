using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>One streamed answer of the model: its text, the tools it called, and what it cost.</summary>
public sealed record ChatTurn(string Content, IReadOnlyList<ToolCall> ToolCalls, ChatUsage Usage, string Model);

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
