using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Api.Executions;

/// <summary>Bounds of the <c>labels</c> a start may carry (listed and filtered by <c>GET /v1/executions</c>). Section <c>AgentOrleans:Labels</c>.</summary>
public sealed class LabelOptions
{
    public const string SectionName = "AgentOrleans:Labels";

    /// <summary>Most labels on one execution. Default 16.</summary>
    public int MaxLabels { get; set; } = 16;

    /// <summary>Longest key. Default 63.</summary>
    public int MaxKeyLength { get; set; } = 63;

    /// <summary>Longest value. Default 256.</summary>
    public int MaxValueLength { get; set; } = 256;

    public bool IsValid => MaxLabels is >= 0 and <= 1000 && MaxKeyLength is >= 1 and <= 1000 && MaxValueLength is >= 0 and <= 10_000;
}

/// <summary>Reads <c>labels</c>: an object of string values, keys of letters, digits, '.', '_' and '-' (no ':', which the filter splits on).</summary>
public static partial class ExecutionsListLabels
{
    public static Dictionary<string, string>? Read(JsonNode? node, LabelOptions options, ProblemList problems)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject labels)
        {
            problems.Add("/labels", "must be an object of string values, such as {\"team\": \"search\"}");
            return null;
        }

        if (labels.Count > options.MaxLabels)
        {
            problems.Add("/labels", $"has {labels.Count} labels; at most {options.MaxLabels}");
        }

        var read = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            var pointer = $"/labels/{JsonPointer.Escape(key)}";
            if (key.Length > options.MaxKeyLength || !Key().IsMatch(key))
            {
                problems.Add(pointer, $"a label key starts with a letter or digit, holds only letters, digits, '.', '_' and '-', at most {options.MaxKeyLength} characters");
            }

            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                problems.Add(pointer, "must be a string");
                continue;
            }

            var text = v.GetValue<string>();
            if (text.Length > options.MaxValueLength)
            {
                problems.Add(pointer, $"is {text.Length} characters long; at most {options.MaxValueLength}");
            }

            read[key] = text;
        }

        return read;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z")]
    private static partial Regex Key();
}
