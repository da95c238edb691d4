namespace AgentOrleans.Grains.Mcp;

/// <summary>
/// One MCP server: a process spoken to over stdio (<see cref="Command"/>) or an HTTP endpoint (<see cref="Url"/>),
/// exactly one of them. Values of <see cref="Env"/> and <see cref="Headers"/> may name secrets as
/// <c>${{ secrets.NAME }}</c>; they are read from the secret store when the server is started.
/// </summary>
public sealed class McpServerOptions
{
    /// <summary>The program of a stdio server, such as <c>dotnet</c> or <c>npx</c>.</summary>
    public string? Command { get; set; }

    /// <summary>Its arguments, one per entry. Default: none.</summary>
    public List<string> Args { get; set; } = [];

    /// <summary>Environment variables set for the process. Default: none.</summary>
    public Dictionary<string, string> Env { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The process's working directory. Default: the silo's.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// Whether the process inherits the silo's whole environment. Default false: it gets only PATH, HOME, USER,
    /// LOGNAME, SHELL and TERM (the MCP SDKs' safe set) plus <see cref="Env"/>, so the silo's own secrets and keys,
    /// which often live in its environment, do not reach a third-party program.
    /// </summary>
    public bool InheritEnvironment { get; set; }

    /// <summary>The endpoint of an HTTP server (Streamable HTTP, or SSE for older servers), such as <c>https://mcp.example.com/mcp</c>.</summary>
    public string? Url { get; set; }

    /// <summary>Headers sent with every request to <see cref="Url"/>, such as <c>Authorization: Bearer ${{ secrets.MCP_TOKEN }}</c>. Default: none.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
