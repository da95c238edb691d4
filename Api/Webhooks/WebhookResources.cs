using AgentOrleans.Grains.Webhooks;

namespace AgentOrleans.Api.Webhooks;

/// <summary>A webhook as the API shows it; <c>secret</c> only in the answer that made it.</summary>
public sealed record WebhookResource(
    string Id, string Url, IReadOnlyList<string> Events, string? WorkflowId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Secret,
    WebhookLinks Links)
{
    public static WebhookResource From(WebhookView view, string? secret = null) => new(
        view.Id, view.Url, view.Events, view.WorkflowId, view.CreatedAt, view.UpdatedAt, secret,
        new WebhookLinks($"/v1/webhooks/{Uri.EscapeDataString(view.Id)}", $"/v1/webhooks/{Uri.EscapeDataString(view.Id)}/deliveries"));
}

public sealed record WebhookLinks(string Self, string Deliveries);

/// <summary>A tenant's webhooks, in id order.</summary>
public sealed record WebhookList(IReadOnlyList<WebhookResource> Items);

/// <summary>Deliveries newest first, each with its attempts.</summary>
public sealed record WebhookDeliveryList(IReadOnlyList<WebhookDeliveryResource> Deliveries);

public sealed record WebhookDeliveryResource(
    string Id, string ExecutionId, long Seq, string Type, string Status, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt,
    IReadOnlyList<WebhookAttemptResource> Attempts)
{
    public static WebhookDeliveryResource From(WebhookDeliveryView view) => new(
        view.Id, view.ExecutionId, view.Seq, view.Type, view.Status.ToString().ToLowerInvariant(), view.CreatedAt, view.NextAttemptAt,
        [.. view.Attempts.Select(a => new WebhookAttemptResource(a.At, a.StatusCode, a.Error, Math.Round(a.DurationMs, 1)))]);
}

public sealed record WebhookAttemptResource(DateTimeOffset At, int? StatusCode, string? Error, double DurationMs);
