using Microsoft.Extensions.Logging;

namespace AgentOrleans.Grains.Webhooks;

/// <summary>What a webhook logs: its key and message ids, never its URL's query or its secret.</summary>
internal sealed partial class WebhookGrain
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Webhook {WebhookKey}: delivery {MessageId} failed after {Attempts} attempt(s); it is not tried again")]
        public static partial void DeliveryFailed(ILogger logger, string webhookKey, string messageId, int attempts);

        [LoggerMessage(2, LogLevel.Warning, "Webhook {WebhookKey}: its deliveries could not be stored; the next activation sends what was pending again")]
        public static partial void PumpFailed(ILogger logger, string webhookKey, Exception exception);
    }
}
