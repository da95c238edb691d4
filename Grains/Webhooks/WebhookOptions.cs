namespace AgentOrleans.Grains.Webhooks;

/// <summary>Webhook delivery. Section <c>AgentOrleans:Webhooks</c>. URLs pass the http step's guard (<c>AgentOrleans:Http</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "AgentOrleans:Webhooks";

    /// <summary>The wait before the first retry; each retry waits twice as long as the one before. Default 5 s.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts. Default 1 h.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after its event a delivery is tried; an attempt that would start later marks it failed. Default 24 h.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long one attempt may take, connecting included. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts in flight at once per webhook. Default 16.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 16;

    /// <summary>Deliveries a webhook holds pending before it refuses more (executions keep them and offer them again). Default 10,000.</summary>
    public int MaxPendingDeliveries { get; set; } = 10_000;

    /// <summary>Finished deliveries (delivered or failed) a webhook keeps to show, newest first. Default 100.</summary>
    public int KeptDeliveries { get; set; } = 100;

    /// <summary>How long a silo uses a tenant's subscriptions before it reads them again: a new webhook sees events from then on. Default 5 s.</summary>
    public TimeSpan SubscriptionRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The period of the reminder that brings back a webhook with pending deliveries after a silo loss. Default 1 min.</summary>
    public TimeSpan RecoveryReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    internal bool IsValid =>
        FirstRetryDelay > TimeSpan.Zero && MaxRetryDelay >= FirstRetryDelay && GiveUpAfter > TimeSpan.Zero && AttemptTimeout > TimeSpan.Zero
        && MaxConcurrentDeliveries >= 1 && MaxPendingDeliveries >= 1 && KeptDeliveries >= 1 && SubscriptionRefresh > TimeSpan.Zero && RecoveryReminderPeriod >= TimeSpan.FromSeconds(1);
}
