using AgentOrleans.Grains.Hosting;

namespace AgentOrleans.Grains.Webhooks;

/// <summary>A tenant's subscriptions, one write per change: silos read it through <see cref="WebhookSubscriptions"/>, not per event.</summary>
internal sealed class WebhookRegistryGrain(
    [PersistentState("webhooks", StorageNames.Grains)] IPersistentState<WebhookRegistryState> state) : Grain, IWebhookRegistryGrain
{
    public async Task SetAsync(WebhookSubscription subscription)
    {
        state.State.Subscriptions[subscription.WebhookKey] = subscription;
        await state.WriteStateAsync();
    }

    public async Task RemoveAsync(string webhookKey)
    {
        if (state.State.Subscriptions.Remove(webhookKey))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<List<WebhookSubscription>> ListAsync() => Task.FromResult(state.State.Subscriptions.Values.ToList());
}

[GenerateSerializer, Alias("AgentOrleans.WebhookRegistryState")]
public sealed class WebhookRegistryState
{
    [Id(0)] public Dictionary<string, WebhookSubscription> Subscriptions { get; set; } = [];
}
