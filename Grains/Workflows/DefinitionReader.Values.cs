using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;

namespace AgentOrleans.Grains.Workflows;

/// <summary>The value rules every part of a definition shares: unknown fields, strings, durations and numbers within bounds.</summary>
public static partial class DefinitionReader
{
    private static void RejectUnknown(JsonObject obj, string pointer, string[] known, ProblemList problems)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                problems.Add($"{pointer}/{JsonPointer.Escape(key)}", $"unknown field '{key}'; expected one of: {string.Join(", ", known)}");
            }
        }
    }

    private static string? RequiredString(JsonObject obj, string name, string pointer, ProblemList problems)
    {
        if (obj[name] is null)
        {
            problems.Add($"{pointer}/{name}", "is required");
            return null;
        }

        return OptionalString(obj, name, pointer, problems);
    }

    private static string? OptionalString(JsonObject obj, string name, string pointer, ProblemList problems)
    {
        var value = obj[name];
        if (value is null)
        {
            return null;
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        problems.Add($"{pointer}/{name}", "must be a string");
        return null;
    }

    private static TimeSpan? OptionalDuration(JsonObject obj, string name, string pointer, ProblemList problems)
    {
        var text = OptionalString(obj, name, pointer, problems);
        if (text is null)
        {
            return null;
        }

        if (Duration.TryParse(text, out var value))
        {
            return value;
        }

        problems.Add($"{pointer}/{name}", $"'{text}' is not {Duration.Expected}");
        return null;
    }

    private static int? OptionalInt(JsonObject obj, string name, string pointer, int min, int max, ProblemList problems)
    {
        var value = obj[name];
        if (value is null)
        {
            return null;
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) && n >= min && n <= max)
        {
            return n;
        }

        problems.Add($"{pointer}/{JsonPointer.Escape(name)}", $"must be a whole number from {min} to {max}");
        return null;
    }

    private static double? OptionalNumber(JsonObject obj, string name, string pointer, double min, double max, ProblemList problems)
    {
        var value = obj[name];
        if (value is null)
        {
            return null;
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var n) && n >= min && n <= max)
        {
            return n;
        }

        problems.Add($"{pointer}/{name}", $"must be a number from {min} to {max}");
        return null;
    }
}
