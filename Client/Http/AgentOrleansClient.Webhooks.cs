using System.Net.Http.Json;

namespace AgentOrleans.Client.Http;

public sealed partial class AgentOrleansClient
{
    /// <summary>Creates or replaces a webhook; keep the <c>Secret</c> of the answer that made it, it is not shown again.</summary>
    public async Task<Webhook> PutWebhookAsync(string id, WebhookRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsync($"v1/webhooks/{Escape(id)}", JsonContent.Create(request, options: ApiResponse.Json), cancellationToken);
        return await ApiResponse.ReadAsync<Webhook>(response, cancellationToken);
    }

    public async Task<Webhook> GetWebhookAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"v1/webhooks/{Escape(id)}", cancellationToken);
        return await ApiResponse.ReadAsync<Webhook>(response, cancellationToken);
    }

    public async Task<IReadOnlyList<Webhook>> ListWebhooksAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("v1/webhooks", cancellationToken);
        return (await ApiResponse.ReadAsync<WebhookList>(response, cancellationToken)).Items;
    }

    /// <summary>Deletes a webhook and drops its pending deliveries.</summary>
    public async Task DeleteWebhookAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"v1/webhooks/{Escape(id)}", cancellationToken);
        await ApiResponse.EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>The webhook's deliveries, newest first, each with its attempts.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> GetWebhookDeliveriesAsync(string id, int? limit = null, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"v1/webhooks/{Escape(id)}/deliveries{QueryString.Of(("limit", Number(limit)))}", cancellationToken);
        return (await ApiResponse.ReadAsync<WebhookDeliveryList>(response, cancellationToken)).Deliveries;
    }
}
