using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentOrleans.Cli;

/// <summary>A JSON value given on the command line: inline, or <c>@path</c> to read it from a file.</summary>
public static class InputValue
{
    public static JsonNode? Read(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.StartsWith('@') ? File.ReadAllText(value[1..]) : value;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"'{(value.StartsWith('@') ? value : Shorten(value))}' is not JSON: {ex.Message}");
        }
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
