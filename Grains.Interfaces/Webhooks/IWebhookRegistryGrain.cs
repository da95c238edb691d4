namespace AgentOrleans.Grains.Webhooks;

/// <summary>A tenant's webhooks and what each subscribes to, keyed by tenant: what silos cache to match events cheaply.</summary>
[Alias("AgentOrleans.IWebhookRegistryGrain")]
public interface IWebhookRegistryGrain : IGrainWithStringKey
{
    [Alias("Set")]
    Task SetAsync(WebhookSubscription subscription);

    [Alias("Remove")]
    Task RemoveAsync(string webhookKey);

    [Alias("List")]
    Task<List<WebhookSubscription>> ListAsync();
}
