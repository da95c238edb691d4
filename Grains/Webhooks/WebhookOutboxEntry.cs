namespace AgentOrleans.Grains.Webhooks;

/// <summary>An event an execution has made durable for a webhook and not yet handed to it: kept in the execution's state.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.WebhookOutboxEntry")]
public sealed record WebhookOutboxEntry(
    [property: Id(0)] string WebhookKey,
    [property: Id(1)] WebhookMessage Message);
