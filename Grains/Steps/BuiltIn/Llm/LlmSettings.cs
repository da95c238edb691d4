using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>The settings <c>llm</c> and <c>agent</c> share (schema <c>llmWith</c>): validated at compile time, read at run time.</summary>
internal static class LlmSettings
{
    public static readonly string[] Names = ["prompt", "system", "model", "provider", "temperature", "maxTokens"];

    /// <summary>Checks the shared settings; a literal <c>provider</c> that <paramref name="providers"/> does not know is refused.</summary>
    public static void Validate(JsonObject? settings, SettingsValidation validation, ChatProviders providers)
    {
        if (!SettingsReader.IsString(settings?["prompt"]) || settings!["prompt"]!.GetValue<string>().Length == 0)
        {
            validation.Problem("/prompt", "is required: the user prompt (templates allowed)");
        }

        if (settings?["system"] is { } system && !SettingsReader.IsString(system))
        {
            validation.Problem("/system", "must be a string (templates allowed)");
        }

        foreach (var name in (string[])["model", "provider"])
        {
            if (settings?[name] is { } value && !(SettingsReader.IsString(value) && value.GetValue<string>().Length > 0))
            {
                validation.Problem($"/{name}", "must be a non-empty string");
            }
        }

        if (validation.Publishing && settings?["provider"] is JsonValue named && named.TryGetValue<string>(out var provider) && provider.Length > 0
            && !provider.Contains("${{", StringComparison.Ordinal) && !providers.Knows(provider))
        {
            var configured = string.Join(", ", providers.Configured);
            validation.Problem("/provider", $"no model provider '{provider}' is configured (AgentOrleans:Llm:Providers:{provider}:BaseUrl, or an IChatClient registered under that key); configured: {(configured.Length > 0 ? configured : "none")}");
        }

        if (settings?["temperature"] is { } temperature && !SettingsReader.IsExpression(temperature)
            && !(temperature is JsonValue t && t.GetValueKind() == JsonValueKind.Number && t.GetValue<double>() is >= 0 and <= 2))
        {
            validation.Problem("/temperature", "must be a number from 0 to 2");
        }

        if (settings?["maxTokens"] is { } maxTokens && !SettingsReader.IsExpression(maxTokens) && !SettingsReader.IsWholeNumber(maxTokens, 1, int.MaxValue))
        {
            validation.Problem("/maxTokens", "must be a whole number, 1 or more");
        }
    }

    /// <summary>The request of a first turn: the system prompt, if any, then the user prompt.</summary>
    public static ChatRequest Request(JsonObject settings, JsonArray? tools = null)
    {
        var messages = new JsonArray();
        if (SettingsReader.ReadString(settings, "system") is { Length: > 0 } system)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = Text(settings["prompt"]) });
        return new ChatRequest(
            SettingsReader.ReadString(settings, "provider") ?? LlmOptions.DefaultProvider,
            SettingsReader.ReadString(settings, "model"),
            messages,
            tools,
            settings["temperature"] is JsonValue t && t.TryGetValue<double>(out var temperature) ? temperature : null,
            SettingsReader.ReadInt(settings, "maxTokens"));
    }

    // A prompt that is one expression may render to a number or an object: the model gets its JSON.
    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";
}
