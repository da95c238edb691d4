using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;

namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// Checks the <c>type</c> keywords of an input schema. NJsonSchema reads an unknown type name as
/// "any type", so a misspelt <c>type</c> would silently let every input through.
/// </summary>
internal static class InputSchemaTypes
{
    private static readonly string[] Names = ["array", "boolean", "integer", "null", "number", "object", "string"];
    private static readonly string[] Subschema = ["additionalProperties", "items", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "additionalItems"];
    private static readonly string[] SubschemaMaps = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
    private static readonly string[] SubschemaLists = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];

    public static void Check(JsonNode? schema, string pointer, ProblemList problems)
    {
        // true and false are schemas too, and have nothing to check.
        if (schema is not JsonObject obj)
        {
            return;
        }

        if (obj["type"] is { } type && !IsTypeName(type) && !(type is JsonArray list && list.Count > 0 && list.All(IsTypeName) && list.DistinctBy(t => t!.GetValue<string>()).Count() == list.Count))
        {
            problems.Add($"{pointer}/type", $"must be one of {string.Join(", ", Names)}, or an array of them");
        }

        foreach (var (key, value) in obj)
        {
            var keyPointer = $"{pointer}/{JsonPointer.Escape(key)}";
            if (value is JsonArray items && SubschemaLists.Contains(key))
            {
                for (var i = 0; i < items.Count; i++)
                {
                    Check(items[i], $"{keyPointer}/{i}", problems);
                }
            }
            else if (value is JsonObject map && SubschemaMaps.Contains(key))
            {
                foreach (var (name, subschema) in map)
                {
                    Check(subschema, $"{keyPointer}/{JsonPointer.Escape(name)}", problems);
                }
            }
            else if (Subschema.Contains(key))
            {
                Check(value, keyPointer, problems);
            }
        }
    }

    private static bool IsTypeName(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && Names.Contains(v.GetValue<string>());
}
