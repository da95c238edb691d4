using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Steps;

/// <summary>Small checks built-in step types share when they validate and read their settings.</summary>
public static class SettingsReader
{
    public static void RejectUnknown(JsonObject? settings, SettingsValidation validation, params string[] known)
    {
        foreach (var (key, _) in settings ?? [])
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                validation.Problem($"/{key}", $"unknown setting '{key}'; expected one of: {string.Join(", ", known)}");
            }
        }
    }

    public static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    public static bool IsExpression(JsonNode? node) =>
        IsString(node) && node!.GetValue<string>().Trim() is var s && s.StartsWith("${{", StringComparison.Ordinal) && s.EndsWith("}}", StringComparison.Ordinal);

    public static bool IsWholeNumber(JsonNode? node, int min, int max) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) && n >= min && n <= max;

    public static void RequireDuration(JsonObject? settings, string name, SettingsValidation validation, bool required)
    {
        var value = settings?[name];
        if (value is null)
        {
            if (required)
            {
                validation.Problem($"/{name}", "is required");
            }

            return;
        }

        if (!IsString(value) || !Workflows.Duration.TryParse(value.GetValue<string>(), out _))
        {
            validation.Problem($"/{name}", $"must be {Workflows.Duration.Expected}");
        }
    }

    public static TimeSpan? ReadDuration(JsonObject settings, string name) =>
        settings[name] is JsonValue v && v.TryGetValue<string>(out var text) && Workflows.Duration.TryParse(text, out var value) ? value : null;

    public static string? ReadString(JsonObject settings, string name) =>
        settings[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    public static int? ReadInt(JsonObject settings, string name) =>
        settings[name] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
}
