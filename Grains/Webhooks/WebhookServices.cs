using AgentOrleans.Grains.Http;
using AgentOrleans.Grains.Steps.BuiltIn;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Webhooks;

public static class WebhookServices
{
    /// <summary>Webhook options, the silo's subscription cache and the delivery client (the http step's guard, no redirects, no retry of its own).</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName))
            .Validate(o => o.IsValid, "AgentOrleans:Webhooks: retry delays, GiveUpAfter, AttemptTimeout and SubscriptionRefresh positive (MaxRetryDelay at least FirstRetryDelay), counts at least 1, RecoveryReminderPeriod at least 1 s")
            .ValidateOnStart();
        services.AddSingleton<WebhookSubscriptions>();
        services.AddSingleton<WebhookSender>();
        // A redirect is an answer that is not 2xx, so a failed attempt: a receiver that moved is configured again.
        services.AddHttpClient(WebhookSender.ClientName)
            .AddOutboundGuard(sp => sp.GetRequiredService<IOptions<HttpStepOptions>>().Value.Outbound, followRedirects: false)
            .RedactLoggedHeaders(_ => true)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        return services;
    }
}
