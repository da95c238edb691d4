using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentOrleans.LlmSimulator;

/// <summary>
/// The deterministic answer to a conversation. With tools offered, the model calls the tools the
/// user asked for, in the order asked: <c>use tool NAME</c> calls one tool in a turn of its own,
/// <c>use tools A+B</c> calls both in one turn (a turn with several tool calls); when none is
/// named it calls the first tool once. The arguments are <c>{"query": "simulated"}</c>, or the JSON object that
/// follows <c>args</c> in the prompt (<c>use tool read_file args {"path": "notes.txt"}</c>) for every call. Once
/// every such tool has answered it replies <c>Tool results: …</c> quoting them. Otherwise it replies
/// <c>You said: …</c> quoting the last user message. A looping model (<c>sim-loop</c>) calls the first tool in every
/// turn, whatever the tools answered.
/// </summary>
public sealed partial record SimulatedAnswer(IReadOnlyList<string> Tokens, IReadOnlyList<string> ToolNames, string ToolArguments)
{
    public const string Arguments = """{"query":"simulated"}""";

    public static SimulatedAnswer For(JsonArray messages, JsonArray? tools, bool loopTools = false)
    {
        if (loopTools && tools is { Count: > 0 } && Text(tools[0]?["function"]?["name"]) is { } first)
        {
            return new SimulatedAnswer([], [first], Arguments);
        }

        var lastUser = messages.LastOrDefault(m => Text(m?["role"]) == "user");
        var prompt = Text(lastUser?["content"]) ?? "";
        if (tools is { Count: > 0 } && NextTools(messages, tools, prompt) is { Count: > 0 } next)
        {
            return new SimulatedAnswer([], next, PromptArguments(prompt) ?? Arguments);
        }

        var results = messages.Where(m => Text(m?["role"]) == "tool").Select(m => Text(m?["content"])).ToList();
        var text = results.Count > 0 ? $"Tool results: {string.Join("; ", results)}" : $"You said: {prompt}";
        return new SimulatedAnswer(Words(text), [], "");
    }

    /// <summary>A JSON answer, streamed in chunks of a few characters (JSON has no words to split at).</summary>
    public static SimulatedAnswer Json(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return new SimulatedAnswer(Enumerable.Range(0, (text.Length + 7) / 8).Select(i => text.Substring(i * 8, Math.Min(8, text.Length - (i * 8)))).ToList(), [], "");
    }

    /// <summary>The id of the <paramref name="index"/>th tool call of request <paramref name="requestId"/>: <c>call_{id}</c>, then <c>call_{id}_{index}</c>.</summary>
    public static string CallId(int requestId, int index) => index == 0 ? $"call_{requestId}" : $"call_{requestId}_{index}";

    /// <summary>The tools of the first group asked for (a <c>use tool</c> or <c>use tools</c>) that have not all been called yet, less those that have.</summary>
    private static List<string> NextTools(JsonArray messages, JsonArray tools, string prompt)
    {
        var offered = tools.Select(t => Text(t?["function"]?["name"])).OfType<string>().ToList();
        var called = messages.SelectMany(m => m?["tool_calls"] as JsonArray ?? []).Select(c => Text(c?["function"]?["name"])).ToList();
        var groups = UseTools().Matches(prompt)
            .Select(m => m.Groups["names"].Value.Split('+').Where(offered.Contains).ToList())
            .Where(g => g.Count > 0)
            .ToList();
        if (groups.Count == 0)
        {
            return called.Count == 0 && offered.Count > 0 ? [offered[0]] : [];
        }

        return groups.Select(g => g.Where(name => !called.Contains(name)).ToList()).FirstOrDefault(g => g.Count > 0) ?? [];
    }

    /// <summary>The object after <c>args</c> in the prompt, as compact JSON; null when there is none or it is not an object.</summary>
    private static string? PromptArguments(string prompt)
    {
        var match = ArgsInPrompt().Match(prompt);
        try
        {
            return match.Success && JsonNode.Parse(match.Groups["json"].Value) is JsonObject args ? args.ToJsonString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static List<string> Words(string text)
    {
        var words = text.Split(' ');
        return words.Select((w, i) => i < words.Length - 1 ? w + " " : w).Where(w => w.Length > 0).ToList();
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    [GeneratedRegex(@"use tools? (?<names>[A-Za-z0-9_-]+(?:\+[A-Za-z0-9_-]+)*)")]
    private static partial Regex UseTools();

    [GeneratedRegex(@"\bargs (?<json>\{.*\})", RegexOptions.Singleline)]
    private static partial Regex ArgsInPrompt();
}
