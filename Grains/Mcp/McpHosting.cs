using AgentOrleans.Grains.Http;
using AgentOrleans.Grains.Secrets;
using AgentOrleans.Grains.Steps.BuiltIn;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Mcp;

public static class McpHosting
{
    /// <summary>The MCP servers of <see cref="McpOptions"/>, validated on start; their clients are disposed with the host.</summary>
    public static IServiceCollection AddMcpServers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<McpOptions>().Bind(configuration.GetSection(McpOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<McpOptions>, McpOptionsValidator>();
        // No resilience handler and no client timeout: a session's responses stream for as long as a tool runs, and
        // the node's timeout and retry policy bound the calls; the guard refuses private destinations as for the http step.
        services.AddHttpClient(McpServers.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddOutboundGuard(sp => sp.GetRequiredService<IOptions<HttpStepOptions>>().Value.Outbound)
            .RedactLoggedHeaders(_ => true);
        services.AddSingleton(sp => new McpServers(
            sp.GetRequiredService<IOptions<McpOptions>>(),
            new McpServerDependencies(
                sp.GetRequiredService<ISecretStore>(),
                sp.GetRequiredService<IHttpClientFactory>(),
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<McpServers>(),
                sp.GetRequiredService<TimeProvider>())));
        return services;
    }
}
