using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentOrleans.Grains.Mcp;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>Compile-time checks of an agent's <c>tools</c> (schema <c>agentTool</c>).</summary>
internal static partial class AgentToolSettings
{
    /// <summary>Checks the list; <paramref name="mcpServers"/> are the MCP servers configured (<see cref="McpOptions.Servers"/>), an entry naming another is refused.</summary>
    public static void Validate(JsonNode? tools, SettingsValidation validation, IReadOnlyCollection<string> mcpServers)
    {
        if (tools is null)
        {
            return;
        }

        if (tools is not JsonArray list)
        {
            validation.Problem("/tools", "must be an array of tools");
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var at = validation.Nested($"/tools/{i}");
            if (list[i] is not JsonObject tool)
            {
                at.Problem("", "must be an object with 'name' and one of 'step' and 'workflowId', or with 'mcp'");
                continue;
            }

            if (tool["mcp"] is not null)
            {
                ValidateMcp(tool, at, mcpServers, names);
                continue;
            }

            SettingsReader.RejectUnknown(tool, at, "name", "description", "parameters", "step", "workflowId", "version", "approval");
            if (!SettingsReader.IsString(tool["name"]) || !ToolName().IsMatch(tool["name"]!.GetValue<string>()))
            {
                at.Problem("/name", "is required: 1 to 64 letters, digits, '_' and '-'");
            }
            else if (!names.Add(tool["name"]!.GetValue<string>()))
            {
                at.Problem("/name", $"another tool is already named '{tool["name"]}'");
            }

            if (tool["description"] is { } description && !SettingsReader.IsString(description))
            {
                at.Problem("/description", "must be a string");
            }

            if (tool["parameters"] is { } parameters && parameters is not JsonObject)
            {
                at.Problem("/parameters", "must be a JSON Schema object describing the arguments");
            }

            ValidateApproval(tool["approval"], at);
            ValidateTarget(tool, at);
        }
    }

    /// <summary><c>approval</c>: <c>true</c>, <c>false</c>, or <c>{"timeout": duration}</c>.</summary>
    private static void ValidateApproval(JsonNode? approval, SettingsValidation at)
    {
        switch (approval)
        {
            case null:
            case JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False:
                return;
            case JsonObject policy:
                var nested = at.Nested("/approval");
                SettingsReader.RejectUnknown(policy, nested, "timeout");
                SettingsReader.RequireDuration(policy, "timeout", nested, required: true);
                return;
            default:
                at.Problem("/approval", "must be true, false or {\"timeout\": <duration>}: whether a person approves each call before it runs");
                return;
        }
    }

    /// <summary><c>{"mcp": {"server", "tool"?}, "approval"?}</c>: a server configured on the silos, checked now so a typo fails the publish, not a run.</summary>
    private static void ValidateMcp(JsonObject tool, SettingsValidation at, IReadOnlyCollection<string> servers, HashSet<string> names)
    {
        SettingsReader.RejectUnknown(tool, at, "mcp", "approval");
        ValidateApproval(tool["approval"], at);
        if (tool["mcp"] is not JsonObject mcp)
        {
            at.Problem("/mcp", "must be an object: {\"server\": name} for all of a server's tools, with \"tool\": name for one");
            return;
        }

        var nested = at.Nested("/mcp");
        SettingsReader.RejectUnknown(mcp, nested, "server", "tool");
        var server = SettingsReader.IsString(mcp["server"]) ? mcp["server"]!.GetValue<string>() : null;
        var configured = string.Join(", ", servers.Order(StringComparer.Ordinal));
        if (string.IsNullOrEmpty(server) || server.Contains("${{", StringComparison.Ordinal))
        {
            nested.Problem("/server", $"is required: the name of an MCP server configured under {McpOptions.SectionName}:Servers (not an expression); configured: {(configured.Length > 0 ? configured : "none")}");
        }
        else if (at.Publishing && !servers.Contains(server))
        {
            nested.Problem("/server", $"no MCP server '{server}' is configured: set {McpOptions.SectionName}:Servers:{server}:Command or :Url; configured: {(configured.Length > 0 ? configured : "none")}");
        }

        if (mcp["tool"] is { } name)
        {
            if (!SettingsReader.IsString(name) || !ToolName().IsMatch(name.GetValue<string>()))
            {
                nested.Problem("/tool", "must be the name of one of the server's tools: 1 to 64 letters, digits, '_' and '-'");
            }
            else if (!names.Add(name.GetValue<string>()))
            {
                nested.Problem("/tool", $"another tool is already named '{name}'");
            }
        }
    }

    private static void ValidateTarget(JsonObject tool, SettingsValidation at)
    {
        switch (tool["step"], tool["workflowId"])
        {
            case (null, null):
            case (not null, not null):
                at.Problem("", "give exactly one of 'step' and 'workflowId'");
                break;
            case (JsonObject step, null):
                ValidateStep(step, at.Nested("/step"));
                if (tool["version"] is not null)
                {
                    at.Problem("/version", "only goes with 'workflowId'");
                }

                break;
            case (not null, null):
                at.Problem("/step", "must be an object with 'type' and 'with'");
                break;
            default:
                SubworkflowStep.ValidateWorkflowReference(tool, at);
                break;
        }
    }

    private static void ValidateStep(JsonObject step, SettingsValidation at)
    {
        SettingsReader.RejectUnknown(step, at, "type", "with");
        var type = SettingsReader.IsString(step["type"]) ? step["type"]!.GetValue<string>() : null;
        if (type is null || !at.Registry.TryGet(type, out var toolStep))
        {
            at.Problem("/type", type is null ? "is required" : $"unknown step type '{type}'; registered: {string.Join(", ", at.Registry.Names.Order())}");
            return;
        }

        // The agent renders a tool's settings itself (with args in scope), so a step that renders its own cannot be one.
        if (toolStep.DeferredSettings.Count > 0)
        {
            at.Problem("/type", $"a '{type}' step cannot be a tool; run it in a workflow and give 'workflowId' instead");
            return;
        }

        if (step["with"] is { } with and not JsonObject)
        {
            at.Problem("/with", "must be an object of settings");
            return;
        }

        toolStep.ValidateSettings(step["with"] as JsonObject, at.Nested("/with"));
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ToolName();
}
