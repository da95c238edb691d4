using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentOrleans.LlmSimulator;

/// <summary>
/// The deterministic answer to a conversation. With tools offered, the model calls the tools the
/// user asked for with <c>use tool NAME</c>, one per turn in the order asked, or the first tool
/// when none is named, always with arguments <c>{"query": "simulated"}</c>; once every such tool
/// has answered it replies <c>Tool results: …</c> quoting them. Otherwise it replies
/// <c>You said: …</c> quoting the last user message.
/// </summary>
public sealed partial record SimulatedAnswer(IReadOnlyList<string> Tokens, string? ToolName, string ToolArguments)
{
    public const string Arguments = """{"query":"simulated"}""";

    public static SimulatedAnswer For(JsonArray messages, JsonArray? tools)
    {
        var lastUser = messages.LastOrDefault(m => Text(m?["role"]) == "user");
        var prompt = Text(lastUser?["content"]) ?? "";
        if (tools is { Count: > 0 } && NextTool(messages, tools, prompt) is { } tool)
        {
            return new SimulatedAnswer([], tool, Arguments);
        }

        var results = messages.Where(m => Text(m?["role"]) == "tool").Select(m => Text(m?["content"])).ToList();
        var text = results.Count > 0 ? $"Tool results: {string.Join("; ", results)}" : $"You said: {prompt}";
        return new SimulatedAnswer(Words(text), null, "");
    }

    private static string? NextTool(JsonArray messages, JsonArray tools, string prompt)
    {
        var offered = tools.Select(t => Text(t?["function"]?["name"])).OfType<string>().ToList();
        var called = messages.SelectMany(m => m?["tool_calls"] as JsonArray ?? []).Select(c => Text(c?["function"]?["name"])).ToList();
        var asked = UseTool().Matches(prompt).Select(m => m.Groups["name"].Value).Where(offered.Contains).ToList();
        if (asked.Count == 0)
        {
            return called.Count == 0 ? offered.FirstOrDefault() : null;
        }

        return asked.FirstOrDefault(name => !called.Contains(name));
    }

    private static List<string> Words(string text)
    {
        var words = text.Split(' ');
        return words.Select((w, i) => i < words.Length - 1 ? w + " " : w).Where(w => w.Length > 0).ToList();
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    [GeneratedRegex(@"use tool (?<name>[A-Za-z0-9_-]+)")]
    private static partial Regex UseTool();
}
