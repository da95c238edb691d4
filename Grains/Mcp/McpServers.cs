using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentOrleans.Grains.Steps;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace AgentOrleans.Grains.Mcp;

/// <summary>
/// The configured MCP servers of this silo (<see cref="McpOptions"/>), one client each, started on first use and
/// disposed with the silo. What agents call to list a server's tools and to call one.
/// </summary>
public sealed partial class McpServers : IAsyncDisposable
{
    /// <summary>The HttpClient of HTTP servers: through the outbound guard, like the http step's.</summary>
    public const string HttpClientName = "agentorleans.mcp";

    private readonly McpOptions _options;
    private readonly McpServerDependencies _dependencies;
    private readonly ConcurrentDictionary<string, McpServerConnection> _connections = new(StringComparer.Ordinal);

    internal McpServers(IOptions<McpOptions> options, McpServerDependencies dependencies)
    {
        _options = options.Value;
        _dependencies = dependencies;
    }

    /// <summary>The names definitions may use.</summary>
    public IReadOnlyCollection<string> Names => _options.Servers.Keys;

    /// <summary>The tools of <paramref name="server"/> that can be offered to a model (a name of letters, digits, '_' and '-', at most 64).</summary>
    /// <exception cref="Steps.BuiltIn.Llm.ToolUnavailableException">The server did not start or could not list its tools.</exception>
    public async Task<IReadOnlyList<McpToolInfo>> ListToolsAsync(string server, CancellationToken cancellationToken)
    {
        var tools = await Connection(server).ListToolsAsync(cancellationToken);
        if (tools.Where(t => !FunctionName().IsMatch(t.Name)).Select(t => t.Name).ToList() is { Count: > 0 } skipped)
        {
            LogSkipped(_dependencies.Logger, server, string.Join(", ", skipped));
        }

        return tools.Where(t => FunctionName().IsMatch(t.Name)).Select(t => McpToolInfo.From(server, t)).ToList();
    }

    /// <summary>
    /// Calls <paramref name="tool"/>: its result as <c>{content, isError, structuredContent?}</c>, the MCP shape, a tool's
    /// own failure (<c>isError: true</c>) included, so the model reads it and can recover.
    /// </summary>
    /// <exception cref="StepException"><c>McpError</c>: the server refused the call (a JSON-RPC error); <c>ToolResultTooLarge</c>.</exception>
    /// <exception cref="Steps.BuiltIn.Llm.ToolUnavailableException">The server did not start, or its connection broke.</exception>
    public async Task<JsonObject> CallToolAsync(McpToolInfo tool, JsonObject arguments, CancellationToken cancellationToken)
    {
        CallToolResult result;
        try
        {
            result = await Connection(tool.Server).CallAsync(tool.Name, arguments, cancellationToken);
        }
        catch (McpProtocolException ex)
        {
            throw new StepException("McpError", $"MCP server '{tool.Server}' refused the call of '{tool.Name}' ({ex.ErrorCode}): {ex.Message}", retryable: false);
        }

        var json = JsonSerializer.SerializeToNode(result, McpJsonUtilities.DefaultOptions) as JsonObject ?? [];
        json["isError"] = result.IsError == true;
        var size = json.ToJsonString().Length;
        return size <= _options.MaxResultChars
            ? json
            : throw new StepException("ToolResultTooLarge", $"the result of '{tool.Name}' is {size} characters, more than {McpOptions.SectionName}:MaxResultChars ({_options.MaxResultChars})", retryable: false);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_connections.Values.Select(c => c.DisposeAsync().AsTask()));
        _connections.Clear();
    }

    private McpServerConnection Connection(string server) =>
        _options.Servers.TryGetValue(server, out var settings)
            ? _connections.GetOrAdd(server, name => new McpServerConnection(name, settings, _options, _dependencies))
            : throw new StepException("McpServerNotConfigured", $"no MCP server '{server}' is configured ({McpOptions.SectionName}:Servers:{server})", retryable: false);

    [Microsoft.Extensions.Logging.LoggerMessage(10, Microsoft.Extensions.Logging.LogLevel.Warning, "MCP server {Server}: tools {Tools} are not offered to models, whose function names are 1 to 64 letters, digits, '_' and '-'")]
    private static partial void LogSkipped(Microsoft.Extensions.Logging.ILogger logger, string server, string tools);

    // What OpenAI-compatible function calling accepts as a name; MCP allows more (dots), which cannot be offered.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex FunctionName();
}
