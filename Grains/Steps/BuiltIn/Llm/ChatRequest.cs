using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// What one model call sends: the conversation so far (in the OpenAI chat format the agent's journal keeps),
/// the tools offered, the sampling settings and, for structured output, the JSON Schema the answer must follow.
/// </summary>
public sealed record ChatRequest(string Provider, string? Model, JsonArray Messages, JsonArray? Tools, double? Temperature, int? MaxTokens, JsonObject? ResponseFormat = null)
{
    /// <summary>The conversation as <see cref="ChatMessage"/>s: text turns, the model's tool calls and the tools' results.</summary>
    public List<ChatMessage> ToMessages() => Messages.OfType<JsonObject>().Select(ToMessage).ToList();

    /// <summary>
    /// The call's options. Tools are declarations only: the agent runs its own durable tool loop, so nothing in the
    /// client pipeline may invoke them.
    /// </summary>
    public ChatOptions ToOptions(string? model)
    {
        var options = new ChatOptions
        {
            ModelId = model,
            Temperature = Temperature is { } t ? (float)t : null,
            MaxOutputTokens = MaxTokens,
        };
        if (Tools is { Count: > 0 })
        {
            options.Tools = Tools.Select(t => t?["function"]).OfType<JsonObject>().Select(Declaration).ToList();
        }

        if (ResponseFormat is { } schema)
        {
            options.ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonSerializer.SerializeToElement(schema), schemaName: "response");
        }

        return options;
    }

    private static AITool Declaration(JsonObject function) => AIFunctionFactory.CreateDeclaration(
        Text(function["name"]) ?? "",
        Text(function["description"]),
        JsonSerializer.SerializeToElement(function["parameters"] ?? new JsonObject { ["type"] = "object" }));

    private static ChatMessage ToMessage(JsonObject message)
    {
        var role = Text(message["role"]);
        var content = Text(message["content"]);
        switch (role)
        {
            case "tool":
                return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(Text(message["tool_call_id"]) ?? "", content ?? "")]);
            case "assistant" when message["tool_calls"] is JsonArray calls:
                var contents = new List<AIContent>();
                if (content is { Length: > 0 })
                {
                    contents.Add(new TextContent(content));
                }

                contents.AddRange(calls.Select(c => (AIContent)new FunctionCallContent(
                    Text(c?["id"]) ?? "",
                    Text(c?["function"]?["name"]) ?? "",
                    AgentTool.ParseArguments(Text(c?["function"]?["arguments"]) ?? "")?.ToDictionary(p => p.Key, p => (object?)JsonSerializer.SerializeToElement(p.Value)))));
                return new ChatMessage(ChatRole.Assistant, contents);
            default:
                return new ChatMessage(new ChatRole(role ?? "user"), content ?? "");
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
