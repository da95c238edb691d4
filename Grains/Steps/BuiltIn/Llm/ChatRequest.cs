using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>What one model call sends: the conversation so far, the tools offered and the sampling settings.</summary>
public sealed record ChatRequest(string Provider, string? Model, JsonArray Messages, JsonArray? Tools, double? Temperature, int? MaxTokens)
{
    /// <summary>The request body in the OpenAI chat-completions format, streaming with usage.</summary>
    public JsonObject ToBody(string model)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = Messages.DeepClone(),
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
        };
        if (Tools is { Count: > 0 })
        {
            body["tools"] = Tools.DeepClone();
        }

        if (Temperature is { } temperature)
        {
            body["temperature"] = temperature;
        }

        if (MaxTokens is { } maxTokens)
        {
            body["max_tokens"] = maxTokens;
        }

        return body;
    }
}
