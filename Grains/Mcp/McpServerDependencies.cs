using AgentOrleans.Grains.Secrets;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Grains.Mcp;

/// <summary>What every server connection of a silo uses.</summary>
internal sealed record McpServerDependencies(ISecretStore Secrets, IHttpClientFactory Clients, ILoggerFactory Loggers, ILogger Logger, TimeProvider Time);
