using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Steps.BuiltIn;

/// <summary>
/// Waits <c>duration</c>, counted from when the attempt first started, so a delay resumed after a
/// restart only waits what is left. Waiting is a timer, not a busy activation.
/// </summary>
public sealed class DelayStep : IStep
{
    public void ValidateSettings(JsonObject? settings, SettingsValidation validation)
    {
        SettingsReader.RejectUnknown(settings, validation, "duration");
        SettingsReader.RequireDuration(settings, "duration", validation, required: true);
    }

    public async Task<StepResult> ExecuteAsync(StepContext context)
    {
        var duration = SettingsReader.ReadDuration(context.Settings, "duration") ?? TimeSpan.Zero;
        var remaining = context.AttemptStartedAt + duration - context.TimeProvider.GetUtcNow();
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, context.TimeProvider, context.CancellationToken);
        }

        return StepResult.Empty;
    }
}
