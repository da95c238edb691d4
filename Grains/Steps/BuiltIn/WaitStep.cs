using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Steps.BuiltIn;

/// <summary>
/// Parks the run until a signal named <c>signal</c> arrives; its payload (checked against <c>schema</c>)
/// is the node's output. After <c>timeout</c> the node fails with <c>WaitTimedOut</c> (its retry policy
/// applies), or succeeds with <c>onTimeout.output</c>. The engine runs the wait itself, with no task
/// held while it lasts, so a waiting execution can leave memory: this type checks and reads the settings.
/// </summary>
public sealed partial class WaitStep : IStep
{
    public const string TypeName = "wait";

    public void ValidateSettings(JsonObject? settings, SettingsValidation validation)
    {
        SettingsReader.RejectUnknown(settings, validation, "signal", "timeout", "schema", "onTimeout");
        if (settings?["signal"] is not { } signal)
        {
            validation.Problem("/signal", "is required: the name of the signal to wait for");
        }
        else if (!SettingsReader.IsString(signal) || !IsSignalName(signal.GetValue<string>()))
        {
            validation.Problem("/signal", "must be a signal name: 1 to 64 letters, digits, '.', '_', ':' or '-'");
        }

        SettingsReader.RequireDuration(settings, "timeout", validation, required: false);
        if (settings?["schema"] is { } schema)
        {
            var problems = new ProblemList();
            JsonSchemas.Compile(schema, "/schema", problems);
            problems.ForEach(p => validation.Problem(p.Pointer, p.Message));
        }

        if (settings?["onTimeout"] is { } onTimeout && !(onTimeout is JsonObject o && o.Count == 1 && o.ContainsKey("output")))
        {
            validation.Problem("/onTimeout", "must be {\"output\": <the node's output when the timeout passes>}");
        }
    }

    /// <summary>Never called: the run loop parks a wait node instead of running a step for it.</summary>
    public Task<StepResult> ExecuteAsync(StepContext context) =>
        throw new InvalidOperationException("a wait node is run by the execution, not as a step");

    /// <summary>The settings of one wait, rendered for its attempt.</summary>
    public static WaitSettings Read(JsonObject settings)
    {
        var problems = new ProblemList();
        var schema = settings["schema"] is { } s ? JsonSchemas.Compile(s, "/schema", problems) : null;
        var onTimeout = settings["onTimeout"] as JsonObject;
        return new WaitSettings(
            SettingsReader.ReadString(settings, "signal") ?? "",
            SettingsReader.ReadDuration(settings, "timeout"),
            schema,
            onTimeout is not null,
            onTimeout?["output"]?.DeepClone());
    }

    public static bool IsSignalName(string name) => SignalName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex SignalName();
}

/// <summary>What one wait node waits for, and what happens when it has waited long enough.</summary>
public sealed record WaitSettings(string Signal, TimeSpan? Timeout, NJsonSchema.JsonSchema? Schema, bool HasTimeoutOutput, JsonNode? TimeoutOutput)
{
    /// <summary>Every way <paramref name="payload"/> breaks the node's schema, at pointers into the payload.</summary>
    public IReadOnlyList<DefinitionProblem> Check(JsonNode? payload) => Schema is null ? [] : JsonSchemas.Check(Schema, payload);
}
