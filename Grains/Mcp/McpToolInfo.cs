using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace AgentOrleans.Grains.Mcp;

/// <summary>One tool of an MCP server as the model is offered it, and as an agent's journal keeps its listing.</summary>
public sealed record McpToolInfo(string Server, string Name, string Description, JsonObject InputSchema)
{
    public static McpToolInfo From(string server, Tool tool) =>
        new(server, tool.Name, tool.Description ?? "", JsonNode.Parse(tool.InputSchema.GetRawText()) as JsonObject ?? new JsonObject { ["type"] = "object" });

    public JsonObject ToJson() => new() { ["server"] = Server, ["name"] = Name, ["description"] = Description, ["inputSchema"] = InputSchema.DeepClone() };

    public static McpToolInfo FromJson(JsonObject json) => new(
        json["server"]!.GetValue<string>(),
        json["name"]!.GetValue<string>(),
        json["description"]?.GetValue<string>() ?? "",
        json["inputSchema"]?.DeepClone() as JsonObject ?? new JsonObject { ["type"] = "object" });
}
