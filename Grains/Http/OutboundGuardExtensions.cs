using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace AgentOrleans.Grains.Http;

public static class OutboundGuardExtensions
{
    /// <summary>
    /// Makes the client's primary handler connect through an <see cref="OutboundGuard"/> with the given
    /// rules; the resolver is <see cref="DnsHostResolver"/> unless another <see cref="IHostResolver"/> is registered.
    /// Without <paramref name="followRedirects"/> a redirect is the answer, for the caller to follow.
    /// </summary>
    public static IHttpClientBuilder AddOutboundGuard(this IHttpClientBuilder builder, Func<IServiceProvider, OutboundRules> rules, bool followRedirects = true)
    {
        builder.Services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        return builder.ConfigurePrimaryHttpMessageHandler(sp => new OutboundGuard(rules(sp), sp.GetRequiredService<IHostResolver>()).CreateHandler(followRedirects));
    }

    /// <summary>
    /// The resilience pipeline's transient-failure rule, minus refusals: asking again cannot change the
    /// answer, and a refused destination says nothing about the health of its host's circuit.
    /// </summary>
    public static ValueTask<bool> IsTransientAndNotRefused(Outcome<HttpResponseMessage> outcome) =>
        ValueTask.FromResult(DestinationNotAllowedException.In(outcome.Exception) is null && HttpClientResiliencePredicates.IsTransient(outcome));
}
