using AgentOrleans.Grains.Secrets;
using ModelContextProtocol.Client;

namespace AgentOrleans.Grains.Mcp;

/// <summary>The transport of one server's client: a child process over stdio, or HTTP through the outbound guard.</summary>
internal static class McpTransports
{
    /// <summary>
    /// The transport of <paramref name="server"/>, its secrets filled in; <paramref name="standardError"/> gets each
    /// line a stdio server writes to stderr (where its reason for failing to start is).
    /// </summary>
    /// <exception cref="SecretNotFoundException">A header or variable names a secret the store does not hold.</exception>
    /// <returns>The transport, and the secrets' values it was given (for masking them in messages).</returns>
    public static async Task<(IClientTransport Transport, SecretValues Secrets)> CreateAsync(
        string name, McpServerOptions server, McpServerDependencies dependencies, Action<string> standardError, CancellationToken cancellationToken)
    {
        // The server is shared by every run on the silo, so it sees the shared secrets, not a tenant's own.
        var values = await SecretValues.ResolveAsync(
            dependencies.Secrets, ISecretStore.DefaultTenant, server.Env.Values.Concat(server.Headers.Values).SelectMany(McpSecretText.SecretNames), cancellationToken);
        if (server.Url is { Length: > 0 } url)
        {
            var options = new HttpClientTransportOptions
            {
                Name = name,
                Endpoint = new Uri(url),
                AdditionalHeaders = server.Headers.ToDictionary(h => h.Key, h => McpSecretText.Fill(h.Value, values)),
            };
            return (new HttpClientTransport(options, dependencies.Clients.CreateClient(McpServers.HttpClientName), dependencies.Loggers, ownsHttpClient: true), values);
        }

        var environment = server.InheritEnvironment ? new Dictionary<string, string?>() : StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        foreach (var (variable, text) in server.Env)
        {
            environment[variable] = McpSecretText.Fill(text, values);
        }

        var transport = new StdioClientTransport(
            new StdioClientTransportOptions
            {
                Name = name,
                Command = server.Command!,
                Arguments = server.Args,
                WorkingDirectory = server.WorkingDirectory,
                InheritEnvironmentVariables = server.InheritEnvironment,
                EnvironmentVariables = environment,
                StandardErrorLines = standardError,
            },
            dependencies.Loggers);
        return (transport, values);
    }
}
