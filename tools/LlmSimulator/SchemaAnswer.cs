using System.Text.Json.Nodes;

namespace AgentOrleans.LlmSimulator;

/// <summary>
/// The answer to a request with <c>response_format: {"type": "json_schema"}</c>: a value built from the schema
/// (each property of an object, an array of one item, <c>"simulated"</c>, <c>1</c>, <c>1.5</c>, <c>true</c>, an
/// enum's first value), or, to test the client's validation, one whose every property has the wrong type.
/// </summary>
public static class SchemaAnswer
{
    /// <summary>The schema asked for, or null when the request asks for no JSON Schema answer.</summary>
    public static JsonObject? Requested(JsonNode? body) =>
        body?["response_format"] is JsonObject { } format && format["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type == "json_schema"
            ? format["json_schema"]?["schema"] as JsonObject
            : null;

    public static JsonNode? Following(JsonObject schema) => Sample(schema);

    /// <summary>A value that breaks <paramref name="schema"/>: the wrong type for each property of an object, or for the value itself.</summary>
    public static JsonNode? Breaking(JsonObject schema) => schema["properties"] is JsonObject properties
        ? new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, Wrong(p.Value))))
        : Wrong(schema);

    private static JsonNode? Sample(JsonNode? schema)
    {
        if (schema?["enum"] is JsonArray { Count: > 0 } values)
        {
            return values[0]?.DeepClone();
        }

        return Type(schema) switch
        {
            "object" => new JsonObject((schema?["properties"] as JsonObject ?? []).Select(p => KeyValuePair.Create(p.Key, Sample(p.Value)))),
            "array" => new JsonArray(Sample(schema?["items"])),
            "integer" => 1,
            "number" => 1.5,
            "boolean" => true,
            "null" => null,
            _ => "simulated",
        };
    }

    private static JsonNode? Wrong(JsonNode? schema) => Type(schema) == "string" ? 12345 : "wrong";

    private static string? Type(JsonNode? schema) => schema?["type"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var type) => type,
        JsonArray { Count: > 0 } types => types[0]?.GetValue<string>(),
        _ => schema?["properties"] is JsonObject ? "object" : null,
    };
}
