using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Webhooks;

/// <summary>
/// A silo's copy of each tenant's subscriptions, read again after <see cref="WebhookOptions.SubscriptionRefresh"/>: a
/// checkpoint asks a dictionary, not a grain, so a tenant without webhooks pays nothing per event. A stale copy is used
/// while the fresh one is read; only a tenant's first lookup on a silo waits.
/// </summary>
public sealed class WebhookSubscriptions(IGrainFactory grains, IOptions<WebhookOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _tenants = new(StringComparer.Ordinal);

    public ValueTask<IReadOnlyList<WebhookSubscription>> ForTenantAsync(string tenant)
    {
        var now = time.GetUtcNow();
        if (_tenants.TryGetValue(tenant, out var entry))
        {
            if (now - entry.ReadAt > options.Value.SubscriptionRefresh && entry.Refreshing is null)
            {
                // Off the caller's scheduler: a checkpoint must not wait for it, nor its activation keep it.
                entry.Refreshing = Task.Run(() => RefreshAsync(tenant, entry));
            }

            return ValueTask.FromResult(entry.Subscriptions);
        }

        return new ValueTask<IReadOnlyList<WebhookSubscription>>(FirstReadAsync(tenant));
    }

    private async Task<IReadOnlyList<WebhookSubscription>> FirstReadAsync(string tenant)
    {
        var subscriptions = await grains.GetGrain<IWebhookRegistryGrain>(tenant).ListAsync();
        _tenants[tenant] = new Entry(subscriptions, time.GetUtcNow());
        return subscriptions;
    }

    private async Task RefreshAsync(string tenant, Entry stale)
    {
        try
        {
            _tenants[tenant] = new Entry(await grains.GetGrain<IWebhookRegistryGrain>(tenant).ListAsync(), time.GetUtcNow());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The stale copy stays in use; the next lookup after the refresh interval tries again.
            stale.Refreshing = null;
        }
    }

    private sealed class Entry(IReadOnlyList<WebhookSubscription> subscriptions, DateTimeOffset readAt)
    {
        public IReadOnlyList<WebhookSubscription> Subscriptions { get; } = subscriptions;

        public DateTimeOffset ReadAt { get; } = readAt;

        public Task? Refreshing { get; set; }
    }
}
