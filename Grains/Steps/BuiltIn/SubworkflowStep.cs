using System.Text.Json.Nodes;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Steps.BuiltIn;

/// <summary>Runs another workflow as a child execution; its result is this node's output.</summary>
public sealed class SubworkflowStep(IGrainFactory grains) : IStep
{
    public void ValidateSettings(JsonObject? settings, SettingsValidation validation)
    {
        SettingsReader.RejectUnknown(settings, validation, "workflowId", "version", "input");
        ValidateWorkflowReference(settings, validation);
    }

    internal static void ValidateWorkflowReference(JsonObject? settings, SettingsValidation validation)
    {
        if (!SettingsReader.IsString(settings?["workflowId"]) || !DefinitionReader.WorkflowId().IsMatch(settings!["workflowId"]!.GetValue<string>()))
        {
            validation.Problem("/workflowId", "is required: the id of the workflow to run");
        }

        if (settings?["version"] is { } version && !SettingsReader.IsWholeNumber(version, 1, int.MaxValue))
        {
            validation.Problem("/version", "must be a version number (1 or more)");
        }
    }

    public async Task<StepResult> ExecuteAsync(StepContext context)
    {
        var output = await ChildExecutions.RunAsync(
            grains,
            context,
            childId: context.IdempotencyKey,
            workflowId: SettingsReader.ReadString(context.Settings, "workflowId")!,
            version: SettingsReader.ReadInt(context.Settings, "version"),
            input: context.Settings["input"]);
        return new StepResult(output);
    }
}
