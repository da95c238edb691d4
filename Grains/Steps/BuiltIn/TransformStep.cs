using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Steps.BuiltIn;

/// <summary>
/// Evaluates <c>set</c> (literals and expressions) and writes each entry at the top level of the
/// run's state; its output is the evaluated object.
/// </summary>
public sealed class TransformStep : IStep
{
    public void ValidateSettings(JsonObject? settings, SettingsValidation validation)
    {
        SettingsReader.RejectUnknown(settings, validation, "set");
        if (settings?["set"] is not JsonObject)
        {
            validation.Problem("/set", "is required: an object of state names to values or expressions");
        }
    }

    public Task<StepResult> ExecuteAsync(StepContext context)
    {
        var set = context.Settings["set"] as JsonObject ?? [];
        return Task.FromResult(new StepResult(set, (JsonObject)set.DeepClone()));
    }
}
