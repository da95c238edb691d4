using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// One streamed chat completion. Each content delta is a progress chunk <c>{"token": "…"}</c>;
/// the output is <c>{content, usage: {promptTokens, completionTokens}, model}</c>, plus <c>json</c> (the parsed
/// answer) with a <c>responseFormat</c> schema (<see cref="StructuredOutput"/>). A 429 fails the
/// attempt as <c>ProviderRateLimited</c> with the provider's <c>Retry-After</c> as the least delay
/// before the retry; a stream cut short fails it as <c>StreamInterrupted</c> (both retryable).
/// </summary>
public sealed class LlmStep(ChatClient chat, ChatProviders providers) : IStep
{
    public void ValidateSettings(JsonObject? settings, SettingsValidation validation)
    {
        SettingsReader.RejectUnknown(settings, validation, [.. LlmSettings.Names, StructuredOutput.Setting]);
        LlmSettings.Validate(settings, validation, providers);
        StructuredOutput.Validate(settings, validation);
    }

    public async Task<StepResult> ExecuteAsync(StepContext context)
    {
        var format = StructuredOutput.Read(context.Settings);
        var turn = await chat.CompleteAsync(
            LlmSettings.Request(context.Settings) with { ResponseFormat = format?.Schema },
            token => context.EmitProgressAsync(new JsonObject { ["token"] = token }),
            ChatCaller.Of(context, call: 1),
            context.CancellationToken);
        var output = new JsonObject
        {
            ["content"] = turn.Content,
            ["usage"] = turn.Usage.ToJson(),
            ["model"] = turn.Model,
        };
        if (format is { } f)
        {
            output["json"] = StructuredOutput.Parse(turn.Content, f.Compiled);
        }

        return new StepResult(output);
    }
}
