namespace AgentOrleans.Grains.Webhooks;

/// <summary>A webhook's subscription, secret and deliveries: the secret lives here only (docs/security.md#webhook-secrets).</summary>
[GenerateSerializer, Alias("AgentOrleans.WebhookState")]
public sealed class WebhookState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Url { get; set; } = "";
    [Id(2)] public List<string> Events { get; set; } = [];
    [Id(3)] public string? WorkflowId { get; set; }
    [Id(4)] public string Secret { get; set; } = "";
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Pending deliveries in arrival order, then the finished ones kept to show (newest last).</summary>
    [Id(7)] public List<WebhookDelivery> Pending { get; set; } = [];
    [Id(8)] public List<WebhookDelivery> Finished { get; set; } = [];
}

/// <summary>One event's delivery to one webhook and its attempts so far.</summary>
[GenerateSerializer, Alias("AgentOrleans.WebhookDelivery")]
public sealed class WebhookDelivery
{
    [Id(0)] public WebhookMessage Message { get; set; } = null!;
    [Id(1)] public WebhookDeliveryStatus Status { get; set; }
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public DateTimeOffset NextAttemptAt { get; set; }
    [Id(4)] public List<WebhookAttempt> Attempts { get; set; } = [];

    public WebhookDeliveryView View() => new(
        Message.Id, Message.ExecutionId, Message.Seq, Message.Type, Status, CreatedAt,
        Status == WebhookDeliveryStatus.Pending ? NextAttemptAt : null, [.. Attempts]);
}
