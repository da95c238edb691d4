namespace AgentOrleans.Grains.Webhooks;

/// <summary>
/// One webhook of one tenant, keyed <c>TenantKey.Scope(tenant, webhookId)</c>: its subscription, its secret (kept in
/// this grain's state only, never returned after it is made) and its deliveries, which it sends, retries and keeps.
/// </summary>
[Alias("AgentOrleans.IWebhookGrain")]
public interface IWebhookGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the webhook; problems (with pointers) when the spec or its URL is refused.</summary>
    [Alias("Put")]
    Task<WebhookPutResult> PutAsync(WebhookSpec spec);

    /// <summary>The webhook without its secret; null when there is none.</summary>
    [Alias("Get")]
    Task<WebhookView?> GetAsync();

    /// <summary>Deletes the webhook and drops its pending deliveries. False when there was none.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();

    /// <summary>The newest deliveries first, each with its attempts; null when there is no webhook.</summary>
    [Alias("Deliveries")]
    Task<List<WebhookDeliveryView>?> GetDeliveriesAsync(int limit);

    /// <summary>
    /// Takes events to deliver, durably before it returns. A message whose id it already has is ignored, so an execution
    /// that hands the same outbox over twice (it crashed before recording the hand-over) causes no second delivery.
    /// False, taking none, when the webhook holds as many pending as it may: the caller keeps them and offers them again.
    /// </summary>
    [Alias("Enqueue")]
    Task<bool> EnqueueAsync(List<WebhookMessage> messages);
}
