namespace AgentOrleans.Client.Http;

/// <summary>What <c>PUT /v1/webhooks/{id}</c> takes: where to send which events, optionally of one workflow only, signed with <see cref="Secret"/> (made when absent).</summary>
public sealed record WebhookRequest(string Url, IReadOnlyList<string> Events, string? WorkflowId = null, string? Secret = null);

/// <summary>A webhook; <see cref="Secret"/> is there only in the answer to the put that made it.</summary>
public sealed record Webhook(string Id, string Url, IReadOnlyList<string> Events, string? WorkflowId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Secret);

public sealed record WebhookList(IReadOnlyList<Webhook> Items);

/// <summary>One event's delivery to a webhook and its attempts; <see cref="Status"/> is <c>pending</c>, <c>delivered</c> or <c>failed</c>.</summary>
public sealed record WebhookDelivery(string Id, string ExecutionId, long Seq, string Type, string Status, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, IReadOnlyList<WebhookAttempt> Attempts);

public sealed record WebhookAttempt(DateTimeOffset At, int? StatusCode, string? Error, double DurationMs);

public sealed record WebhookDeliveryList(IReadOnlyList<WebhookDelivery> Deliveries);
