using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Webhooks;

/// <summary>What a caller configures. <see cref="Secret"/> is <c>whsec_</c> and base64; null asks for one to be made.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.WebhookSpec")]
public sealed record WebhookSpec(
    [property: Id(0)] string Url,
    [property: Id(1)] List<string> Events,
    [property: Id(2)] string? WorkflowId,
    [property: Id(3)] string? Secret);

/// <summary>A webhook as it is shown: never its secret.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.WebhookView")]
public sealed record WebhookView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] List<string> Events,
    [property: Id(3)] string? WorkflowId,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset UpdatedAt);

/// <summary>The outcome of a put: the webhook, or the problems; <see cref="GeneratedSecret"/> only when one was made (shown once).</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.WebhookPutResult")]
public sealed record WebhookPutResult(
    [property: Id(0)] bool Created,
    [property: Id(1)] WebhookView? Webhook,
    [property: Id(2)] List<DefinitionProblem> Problems,
    [property: Id(3)] string? GeneratedSecret);

/// <summary>What a webhook subscribes to: event types, and optionally one workflow's executions.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.WebhookSubscription")]
public sealed record WebhookSubscription(
    [property: Id(0)] string WebhookKey,
    [property: Id(1)] List<string> Events,
    [property: Id(2)] string? WorkflowId)
{
    public bool Matches(string eventType, string workflowId) =>
        Events.Contains(eventType) && (WorkflowId is null || WorkflowId == workflowId);
}

/// <summary>One event to deliver: <see cref="Id"/> is the <c>webhook-id</c>, the same for every hand-over of the event.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.WebhookMessage")]
public sealed record WebhookMessage(
    [property: Id(0)] string Id,
    [property: Id(1)] string ExecutionId,
    [property: Id(2)] long Seq,
    [property: Id(3)] string Type,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] string PayloadJson);

[GenerateSerializer, Alias("AgentOrleans.WebhookDeliveryStatus")]
public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>One try: the receiver's status code, or what went wrong before it answered.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.WebhookAttempt")]
public sealed record WebhookAttempt(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] int? StatusCode,
    [property: Id(2)] string? Error,
    [property: Id(3)] double DurationMs);

/// <summary>A delivery as it is shown.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.WebhookDeliveryView")]
public sealed record WebhookDeliveryView(
    [property: Id(0)] string Id,
    [property: Id(1)] string ExecutionId,
    [property: Id(2)] long Seq,
    [property: Id(3)] string Type,
    [property: Id(4)] WebhookDeliveryStatus Status,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset? NextAttemptAt,
    [property: Id(7)] List<WebhookAttempt> Attempts);
