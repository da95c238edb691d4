using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Mcp;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// An agent's tools by the name the model calls them: each step and workflow tool, and every tool that an
/// <c>{"mcp"}</c> entry brings (one named tool, or all of its server's). The MCP listings are recorded in the attempt's
/// journal, so an attempt that runs again (after a lost silo, or an approval) offers the model the same tools and
/// needs no server until it calls one.
/// </summary>
internal static class AgentTools
{
    private const string ListingKey = "mcp:tools";

    public static async Task<Dictionary<string, AgentTool>> ResolveAsync(StepContext context, IServiceProvider services)
    {
        var entries = context.DeferredSettings.GetValueOrDefault("tools")?.Elements ?? [];
        var listings = entries.Any(e => e.Property("mcp") is not null) ? await ListingsAsync(context, services, entries) : [];
        var tools = new Dictionary<string, AgentTool>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entryTools = listings.TryGetValue(i, out var mcp)
                ? mcp.Select(t => new AgentTool(entries[i], context.Scope, t))
                : [new AgentTool(entries[i], context.Scope)];
            foreach (var tool in entryTools)
            {
                if (!tools.TryAdd(tool.Name, tool))
                {
                    throw new StepException("ToolNameConflict", $"two tools of the agent are named '{tool.Name}' (tools/{i} brings the second): the model could not tell them apart", retryable: false);
                }
            }
        }

        return tools;
    }

    /// <summary>The MCP tools of each <c>{"mcp"}</c> entry, by the entry's index: from the journal, or listed and recorded.</summary>
    private static async Task<Dictionary<int, List<McpToolInfo>>> ListingsAsync(StepContext context, IServiceProvider services, IReadOnlyList<JsonTemplate> entries)
    {
        if (context.Journal.TryGet(ListingKey, out var recorded) && recorded is JsonObject done)
        {
            return done.ToDictionary(
                p => int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture),
                p => p.Value!.AsArray().Select(t => McpToolInfo.FromJson(t!.AsObject())).ToList());
        }

        var servers = services.GetService<McpServers>() ?? throw new StepException("McpServerNotConfigured", "no MCP servers are configured on this silo", retryable: false);
        var listings = new Dictionary<int, List<McpToolInfo>>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Property("mcp")?.Render(context.Scope) is not JsonObject mcp)
            {
                continue;
            }

            var server = mcp["server"]!.GetValue<string>();
            var offered = await servers.ListToolsAsync(server, context.CancellationToken);
            if (mcp["tool"]?.GetValue<string>() is not { } name)
            {
                listings[i] = [.. offered];
            }
            else
            {
                listings[i] = [offered.FirstOrDefault(t => t.Name == name) ?? throw new StepException(
                    "McpToolNotFound",
                    $"MCP server '{server}' has no tool '{name}' (tools/{i}/mcp/tool); its tools: {string.Join(", ", offered.Select(t => t.Name))}",
                    retryable: false)];
            }
        }

        var record = new JsonObject();
        foreach (var (index, tools) in listings)
        {
            record[index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonArray(tools.Select(t => (JsonNode)t.ToJson()).ToArray());
        }

        await context.Journal.RecordAsync(ListingKey, record, context.CancellationToken);
        return listings;
    }
}
