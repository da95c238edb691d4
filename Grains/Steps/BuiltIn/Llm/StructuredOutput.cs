using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Workflows;
using NJsonSchema;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// The <c>llm</c> step's <c>responseFormat</c>: a JSON Schema sent to the provider, then the answer parsed and
/// checked against it with the same validation as a workflow's input schema. An answer that is not JSON, or breaks
/// the schema, fails the attempt with <c>InvalidModelOutput</c>, which is retried: a model may answer well next time.
/// </summary>
internal static class StructuredOutput
{
    public const string Setting = "responseFormat";

    public static void Validate(JsonObject? settings, SettingsValidation validation)
    {
        if (settings?[Setting] is { } schema)
        {
            var problems = new ProblemList();
            JsonSchemas.Compile(schema, $"/{Setting}", problems);
            problems.ForEach(p => validation.Problem(p.Pointer, p.Message));
        }
    }

    /// <summary>The schema of this attempt, compiled; null when the node asks for none.</summary>
    public static (JsonObject Schema, JsonSchema Compiled)? Read(JsonObject settings)
    {
        if (settings[Setting] is not JsonObject schema)
        {
            return null;
        }

        var problems = new ProblemList();
        var compiled = JsonSchemas.Compile(schema, $"/{Setting}", problems)
            ?? throw new StepException("InvalidSettings", $"{Setting}: {string.Join("; ", problems.Select(p => $"{p.Pointer}: {p.Message}"))}", retryable: false);
        return (schema, compiled);
    }

    /// <summary>The answer as the JSON value the schema describes.</summary>
    public static JsonNode? Parse(string answer, JsonSchema schema)
    {
        JsonNode? value;
        try
        {
            value = JsonNode.Parse(answer);
        }
        catch (JsonException ex)
        {
            throw new StepException("InvalidModelOutput", $"the model's answer is not JSON: {ex.Message}");
        }

        var problems = JsonSchemas.Check(schema, value);
        if (problems.Count > 0)
        {
            throw new StepException("InvalidModelOutput", $"the model's answer breaks the {Setting} schema: {string.Join("; ", problems.Select(p => $"{(p.Pointer.Length == 0 ? "(the whole answer)" : p.Pointer)} {p.Message}"))}");
        }

        return value;
    }
}
