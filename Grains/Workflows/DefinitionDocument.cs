using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// Turns a definition's text (JSON, or YAML with the same schema) into a JSON tree, reporting
/// syntax errors and duplicate keys with pointers; and gives the canonical form that versions
/// are hashed on, so the same content in another layout or format is the same version.
/// </summary>
public static class DefinitionDocument
{
    public static JsonNode? ParseJson(string text, ProblemList problems)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            return FromElement(document.RootElement, "", problems);
        }
        catch (JsonException ex)
        {
            problems.Add("", $"not valid JSON: {ex.Message}");
            return null;
        }
    }

    public static JsonNode? ParseYaml(string text, ProblemList problems)
    {
        try
        {
            // Read from parser events rather than YamlStream, which throws at the first duplicate key without saying where it is.
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
            {
                problems.Add("", "a YAML definition must hold exactly one document");
                return null;
            }

            var root = FromYaml(parser, "", problems);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                problems.Add("", "a YAML definition must hold exactly one document");
                return null;
            }

            return root;
        }
        catch (YamlException ex)
        {
            problems.Add("", $"not valid YAML: {ex.Message}");
            return null;
        }
    }

    /// <summary>Compact JSON with object keys sorted, so layout and key order do not make new versions.</summary>
    public static string Canonical(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, node);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Hash(JsonNode? node) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(node))));

    private static void WriteCanonical(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    WriteCanonical(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static JsonNode? FromElement(JsonElement element, string pointer, ProblemList problems)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    var childPointer = $"{pointer}/{JsonPointer.Escape(property.Name)}";
                    if (obj.ContainsKey(property.Name))
                    {
                        problems.Add(childPointer, $"duplicate key '{property.Name}'");
                        continue;
                    }

                    obj[property.Name] = FromElement(property.Value, childPointer, problems);
                }

                return obj;
            case JsonValueKind.Array:
                return new JsonArray(element.EnumerateArray().Select((item, i) => FromElement(item, $"{pointer}/{i}", problems)).ToArray());
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }

    private static JsonNode? FromYaml(IParser parser, string pointer, ProblemList problems)
    {
        if (parser.TryConsume<MappingStart>(out _))
        {
            var obj = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                if (!parser.TryConsume<Scalar>(out var keyScalar))
                {
                    problems.Add(pointer, "YAML keys must be plain strings");
                    parser.SkipThisAndNestedEvents();
                    parser.SkipThisAndNestedEvents();
                    continue;
                }

                var key = keyScalar.Value;
                var childPointer = $"{pointer}/{JsonPointer.Escape(key)}";
                var value = FromYaml(parser, childPointer, problems);
                if (obj.ContainsKey(key))
                {
                    problems.Add(childPointer, $"duplicate key '{key}'");
                    continue;
                }

                obj[key] = value;
            }

            return obj;
        }

        if (parser.TryConsume<SequenceStart>(out _))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(FromYaml(parser, $"{pointer}/{array.Count}", problems));
            }

            return array;
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return FromScalar(scalar);
        }

        problems.Add(pointer, "YAML aliases are not supported");
        parser.SkipThisAndNestedEvents();
        return null;
    }

    // Only plain (unquoted) scalars are typed, following YAML 1.2's JSON schema; quoted ones stay strings.
    private static JsonNode? FromScalar(Scalar scalar)
    {
        var text = scalar.Value;
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            // Parsed as JSON so numbers behave exactly like those of a JSON definition.
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && char.IsDigit(text[^1]) && !text.StartsWith('+') =>
                JsonNode.Parse(text.StartsWith('.') || text.StartsWith("-.", StringComparison.Ordinal) ? text.Replace(".", "0.", StringComparison.Ordinal) : text),
            _ => JsonValue.Create(text),
        };
    }
}
