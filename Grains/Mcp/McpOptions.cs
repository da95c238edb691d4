namespace AgentOrleans.Grains.Mcp;

/// <summary>The MCP servers whose tools <c>agent</c> steps may use. Section <c>AgentOrleans:Mcp</c>.</summary>
public sealed class McpOptions
{
    public const string SectionName = "AgentOrleans:Mcp";

    /// <summary>Servers by the name definitions use (<c>{"mcp": {"server": name}}</c>). Default: none.</summary>
    public Dictionary<string, McpServerOptions> Servers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Longest a server may take to start and answer the MCP handshake; past it the node fails with <c>ToolUnavailable</c>. Default 30 s.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a server's tool listing is reused before it is asked again. Default 30 s.</summary>
    public TimeSpan ToolListTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Largest tool result kept, in characters of its JSON: it is stored with the run and sent to the model. A larger one
    /// reaches the model as the error <c>ToolResultTooLarge</c>. Default 262,144.
    /// </summary>
    public int MaxResultChars { get; set; } = 256 * 1024;
}
