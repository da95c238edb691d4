using System.Text.Json.Nodes;
using NJsonSchema;

namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// JSON Schemas a definition carries (its <c>input</c>, a <c>wait</c> node's signal): compiled once with every
/// problem reported at its pointer, and values checked against them with RFC 6901 pointers in the answer.
/// </summary>
public static class JsonSchemas
{
    /// <summary>Compiles <paramref name="schema"/>; null, with the problems added at <paramref name="pointer"/>, when it is not a usable schema.</summary>
    public static JsonSchema? Compile(JsonNode? schema, string pointer, ProblemList problems)
    {
        if (schema is not JsonObject)
        {
            problems.Add(pointer, "must be a JSON Schema object");
            return null;
        }

        // Remote references would make compiling a definition do I/O.
        if (schema.ToJsonString().Contains("\"$ref\":\"http", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(pointer, "remote $ref is not allowed; keep the schema self-contained");
            return null;
        }

        var before = problems.Count;
        InputSchemaTypes.Check(schema, pointer, problems);
        if (problems.Count > before)
        {
            return null;
        }

        try
        {
            // NJsonSchema's API is async for remote references, which are refused above; this completes synchronously.
            return JsonSchema.FromJsonAsync(schema.ToJsonString()).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is Newtonsoft.Json.JsonException or InvalidOperationException or NotSupportedException)
        {
            problems.Add(pointer, $"not a valid JSON Schema: {ex.Message}");
            return null;
        }
    }

    /// <summary>Every way <paramref name="value"/> breaks <paramref name="schema"/>, each at its pointer under <paramref name="pointer"/>.</summary>
    public static IReadOnlyList<DefinitionProblem> Check(JsonSchema schema, JsonNode? value, string pointer = "") =>
        schema.Validate(value?.ToJsonString() ?? "null")
            .Select(error => new DefinitionProblem(pointer + Pointer(error.Path), $"{error.Kind}{(error.Property is null ? "" : $" ({error.Property})")}"))
            .ToList();

    // NJsonSchema paths look like "#/items[0].name", and "#/" for the whole value; callers get RFC 6901 pointers, where that is "".
    private static string Pointer(string? path) =>
        path is null or "#" or "#/" ? ""
        : path.TrimStart('#').Replace("[", "/", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal).Replace(".", "/", StringComparison.Ordinal) is var p && p.StartsWith('/') ? p : "/" + p;
}
