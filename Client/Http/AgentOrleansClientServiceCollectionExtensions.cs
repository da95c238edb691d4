using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Client.Http;

public static class AgentOrleansClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AgentOrleansClient"/> as a typed client of IHttpClientFactory, so handlers, resilience and
    /// lifetimes are configured as for any other HttpClient (the returned builder).
    /// </summary>
    public static IHttpClientBuilder AddAgentOrleansClient(this IServiceCollection services, Action<AgentOrleansClientOptions>? configure = null)
    {
        var options = services.AddOptions<AgentOrleansClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services.AddHttpClient<AgentOrleansClient>((provider, http) =>
        {
            var settings = provider.GetRequiredService<IOptions<AgentOrleansClientOptions>>().Value;
            http.BaseAddress = settings.BaseAddress.AbsoluteUri.EndsWith('/') ? settings.BaseAddress : new Uri(settings.BaseAddress.AbsoluteUri + "/");
            // SSE streams and long polls outlive the default 100 s; callers bound a call with their token.
            http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
            if (settings.ApiKey is { Length: > 0 } key)
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
        });
    }
}
