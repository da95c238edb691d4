using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Mcp;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// One tool of an agent at run time: a step, whose <c>with</c> is rendered per call with the
/// parsed call arguments in scope as <c>args</c>, a workflow run as a child execution with
/// the arguments as its input, or a tool of an MCP server (<paramref name="mcp"/>, one of those its
/// <c>{"mcp"}</c> entry names), called with the arguments.
/// </summary>
internal sealed class AgentTool(JsonTemplate template, ExpressionScope scope, McpToolInfo? mcp = null)
{
    private static readonly IReadOnlyDictionary<string, JsonTemplate> NoDeferred = new Dictionary<string, JsonTemplate>();
    private static readonly JsonObject AnyObject = new() { ["type"] = "object", ["properties"] = new JsonObject() };

    public string Name { get; } = mcp?.Name ?? Text(template.Property("name")?.Render(scope)) ?? "";

    /// <summary>Whether each call waits for a person's approval before it runs.</summary>
    public bool NeedsApproval => template.Property("approval")?.Render(scope) switch
    {
        JsonObject => true,
        JsonValue v => v.GetValueKind() == JsonValueKind.True,
        _ => false,
    };

    /// <summary>How long a call waits for its approval (<c>{"timeout"}</c>); null: as long as it takes.</summary>
    public TimeSpan? ApprovalTimeout => template.Property("approval")?.Render(scope) is JsonObject policy ? SettingsReader.ReadDuration(policy, "timeout") : null;

    /// <summary>The tool as offered to the model, in the OpenAI function-calling format.</summary>
    public JsonObject Definition() => mcp is not null ? McpDefinition(mcp) : new()
    {
        ["type"] = "function",
        ["function"] = new JsonObject
        {
            ["name"] = Name,
            ["description"] = Text(template.Property("description")?.Render(scope)) ?? "",
            ["parameters"] = template.Property("parameters")?.Render(scope) as JsonObject ?? AnyObject.DeepClone(),
        },
    };

    /// <summary>Runs the tool once; <paramref name="callKey"/> (unique per turn and call) keys its child execution or inner step.</summary>
    public async Task<JsonNode?> RunAsync(StepContext context, IServiceProvider services, JsonObject arguments, string callKey)
    {
        if (mcp is not null)
        {
            return await services.GetRequiredService<McpServers>().CallToolAsync(mcp, arguments, context.CancellationToken);
        }

        if (template.Property("workflowId") is { } workflowId)
        {
            return await ChildExecutions.RunAsync(
                services.GetRequiredService<IGrainFactory>(),
                context,
                childId: $"{context.IdempotencyKey}:{callKey}",
                workflowId: Text(workflowId.Render(scope))!,
                version: template.Property("version")?.Render(scope) is JsonValue v && v.TryGetValue<int>(out var version) ? version : null,
                input: arguments,
                pathSegment: callKey);
        }

        var callScope = scope.With("args", arguments);
        var call = (JsonObject)template.Property("step")!.Render(callScope)!;
        var type = Text(call["type"])!;
        if (!services.GetRequiredService<StepRegistry>().TryGet(type, out var step))
        {
            throw new StepException("UnknownStepType", $"step type '{type}' is not registered", retryable: false);
        }

        var result = await step.ExecuteAsync(context.ForChild(callKey, call["with"] as JsonObject ?? [], NoDeferred, callScope));
        // A step may return part of its settings (transform does): detach it before it joins the agent's records.
        return result.Output?.DeepClone();
    }

    private static JsonObject McpDefinition(McpToolInfo tool) => new()
    {
        ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = tool.Name, ["description"] = tool.Description, ["parameters"] = tool.InputSchema.DeepClone() },
    };

    /// <summary>The arguments the model streamed, as an object; an empty text is no arguments.</summary>
    public static JsonObject? ParseArguments(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
