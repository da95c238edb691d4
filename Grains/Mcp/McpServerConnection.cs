using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Http;
using AgentOrleans.Grains.Secrets;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Steps.BuiltIn;
using AgentOrleans.Grains.Steps.BuiltIn.Llm;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentOrleans.Grains.Mcp;

/// <summary>
/// The silo's one client of one MCP server: started on first use, shared by every run's calls, started again on the
/// next use after it ended or failed; its tool listing reused for <see cref="McpOptions.ToolListTtl"/>.
/// </summary>
internal sealed partial class McpServerConnection(string name, McpServerOptions server, McpOptions options, McpServerDependencies dependencies) : IAsyncDisposable
{
    private const int KeptErrorLines = 10;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentQueue<string> _errorLines = new();
    private McpClient? _client;
    private SecretValues _secrets = SecretValues.None;
    private IReadOnlyList<Tool>? _tools;
    private DateTimeOffset _listedAt;

    public async Task<IReadOnlyList<Tool>> ListToolsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var client = await ConnectedAsync(cancellationToken);
            if (_tools is { } cached && dependencies.Time.GetUtcNow() - _listedAt < options.ToolListTtl)
            {
                return cached;
            }

            try
            {
                _tools = (await client.ListToolsAsync(cancellationToken: cancellationToken)).Select(t => t.ProtocolTool).ToList();
                _listedAt = dependencies.Time.GetUtcNow();
                return _tools;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw await BrokenAsync(client, "failed listing its tools", ex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <exception cref="ModelContextProtocol.McpProtocolException">The server answered the call with an error (an unknown tool, invalid arguments).</exception>
    public async Task<CallToolResult> CallAsync(string tool, JsonObject arguments, CancellationToken cancellationToken)
    {
        McpClient client;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            client = await ConnectedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        try
        {
            var values = arguments.ToDictionary(p => p.Key, p => (object?)JsonSerializer.SerializeToElement(p.Value));
            return await client.CallToolAsync(tool, values, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not ModelContextProtocol.McpProtocolException && !cancellationToken.IsCancellationRequested)
        {
            await _gate.WaitAsync(CancellationToken.None);
            try
            {
                throw await BrokenAsync(client, $"failed during a call of '{tool}'", ex);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            await client.DisposeAsync();
        }

        _gate.Dispose();
    }

    /// <summary>The started client, starting it (again) when there is none or it ended. Called holding the gate.</summary>
    private async Task<McpClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client is { } running)
        {
            if (!running.Completion.IsCompleted)
            {
                return running;
            }

            await DropAsync(running);
        }

        _errorLines.Clear();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        try
        {
            var (transport, secrets) = await McpTransports.CreateAsync(name, server, dependencies, KeepErrorLine, timeout.Token);
            _secrets = secrets;
            var client = await McpClient.CreateAsync(
                transport,
                new McpClientOptions { ClientInfo = new Implementation { Name = "AgentOrleans", Version = "1" }, InitializationTimeout = options.StartTimeout },
                dependencies.Loggers,
                timeout.Token);
            LogStarted(dependencies.Logger, name, client.ServerInfo?.Name ?? "?", client.ServerInfo?.Version ?? "?");
            _client = client;
            _tools = null;
            // Said when it happens, not at the next use: a server that crashes between calls is an operator's concern.
            _ = client.Completion.ContinueWith(_ => ReportEnded(client), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return client;
        }
        catch (SecretNotFoundException ex)
        {
            throw new StepException("SecretNotFound", $"MCP server '{name}': {ex.Message}", retryable: false);
        }
        catch (Exception ex) when (DestinationNotAllowedException.In(ex) is { } refused)
        {
            throw new StepException(
                "DestinationNotAllowed",
                $"MCP server '{name}' refused: {refused.Message} (allow it with {HttpStepOptions.SectionName}:AllowedHosts or AllowPrivateNetworks)",
                retryable: false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = timeout.IsCancellationRequested ? $"no answer to the MCP handshake within {options.StartTimeout}" : Reason(ex);
            LogStartFailed(dependencies.Logger, name, reason, LastErrorLines());
            throw new ToolUnavailableException($"MCP server '{name}' did not start: {reason}");
        }
    }

    /// <summary>Logs the end of a client that was not closed on purpose (a closed one is no longer the current one).</summary>
    private void ReportEnded(McpClient client)
    {
        if (ReferenceEquals(Volatile.Read(ref _client), client))
        {
            LogEnded(dependencies.Logger, name, LastErrorLines());
        }
    }

    private async Task<ToolUnavailableException> BrokenAsync(McpClient client, string what, Exception ex)
    {
        var reason = Reason(ex);
        LogBroken(dependencies.Logger, name, what, reason, LastErrorLines());
        await DropAsync(client);
        return new ToolUnavailableException($"MCP server '{name}' {what}: {reason}");
    }

    private async Task DropAsync(McpClient client)
    {
        if (ReferenceEquals(_client, client))
        {
            _client = null;
            _tools = null;
        }

        try
        {
            await client.DisposeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A client that broke may fail to close too: it is gone either way, and the next use starts a new one.
            LogDisposeFailed(dependencies.Logger, name, ex.GetType().Name);
        }
    }

    /// <summary>What went wrong, from the exception and the ones inside it, with any secret the server was given masked (the exception is not logged whole for that reason).</summary>
    private string Reason(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e is not null && messages.Count < 3; e = e.InnerException)
        {
            messages.Add($"{e.GetType().Name}: {e.Message}");
        }

        return _secrets.Scrub(string.Join(" <- ", messages));
    }

    private void KeepErrorLine(string line)
    {
        _errorLines.Enqueue(line);
        while (_errorLines.Count > KeptErrorLines && _errorLines.TryDequeue(out _))
        {
        }
    }

    private string LastErrorLines() => _errorLines.IsEmpty ? "(nothing)" : _secrets.Scrub(string.Join(" | ", _errorLines));

    [LoggerMessage(1, LogLevel.Information, "MCP server {Server} started: {ServerName} {ServerVersion}")]
    private static partial void LogStarted(ILogger logger, string server, string serverName, string serverVersion);

    [LoggerMessage(2, LogLevel.Warning, "MCP server {Server} did not start: {Reason}; its last stderr lines: {ErrorLines}")]
    private static partial void LogStartFailed(ILogger logger, string server, string reason, string errorLines);

    [LoggerMessage(3, LogLevel.Warning, "MCP server {Server} {What}: {Reason}; its last stderr lines: {ErrorLines}. It is started again on next use")]
    private static partial void LogBroken(ILogger logger, string server, string what, string reason, string errorLines);

    [LoggerMessage(4, LogLevel.Warning, "MCP server {Server} ended on its own; its last stderr lines: {ErrorLines}. It is started again on next use")]
    private static partial void LogEnded(ILogger logger, string server, string errorLines);

    [LoggerMessage(5, LogLevel.Debug, "MCP server {Server}: closing the broken client failed ({ExceptionType})")]
    private static partial void LogDisposeFailed(ILogger logger, string server, string exceptionType);
}
