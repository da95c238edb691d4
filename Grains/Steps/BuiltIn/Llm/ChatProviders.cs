using System.Collections.Concurrent;
using AgentOrleans.Grains.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// The <see cref="IChatClient"/> of each provider name, built once: an OpenAI-compatible endpoint when the provider
/// has a <c>BaseUrl</c>, else the client the host registered under that name. Each is wrapped in the library's
/// OpenTelemetry middleware (GenAI spans and metrics) with the caller's tags on its spans.
/// </summary>
public sealed class ChatProviders(IServiceProvider services, IHttpClientFactory clients, IOptions<LlmOptions> options, ILoggerFactory loggers)
{
    public const string HttpClientName = "agentorleans.llm";

    private readonly ConcurrentDictionary<string, Lazy<IChatClient?>> _clients = new(StringComparer.Ordinal);

    /// <summary>The provider's settings (null for a registered client with none) and its client; null when neither exists.</summary>
    public (LlmProviderOptions? Settings, IChatClient Client)? Find(string provider)
    {
        options.Value.Providers.TryGetValue(provider, out var settings);
        var client = _clients.GetOrAdd(provider, name => new Lazy<IChatClient?>(() => Build(name, settings))).Value;
        return client is null ? null : (settings, client);
    }

    /// <summary>Whether a provider of that name exists (configured, or an <see cref="IChatClient"/> registered under it), without building its client.</summary>
    public bool Knows(string provider) =>
        options.Value.Providers.ContainsKey(provider)
        || services.GetService<IServiceProviderIsKeyedService>()?.IsKeyedService(typeof(IChatClient), provider) == true;

    /// <summary>The providers configured, for a refusal's message (registered clients cannot be listed).</summary>
    public IEnumerable<string> Configured => options.Value.Providers.Keys.Order(StringComparer.Ordinal);

    private IChatClient? Build(string name, LlmProviderOptions? settings)
    {
        // The HttpClient lives as long as the provider: its handler is pooled with a bounded connection lifetime (AgentOrleansServices).
        var inner = settings is { BaseUrl.Length: > 0 }
            ? OpenAiCompatibleClient.Create(settings, clients.CreateClient(HttpClientName), options.Value.RequestTimeout)
            : services.GetKeyedService<IChatClient>(name);
        return inner?.AsBuilder()
            .UseOpenTelemetry(loggers, GenAiTelemetry.SourceName)
            .Use(client => new CallerTagsChatClient(client))
            .Build(services);
    }
}
