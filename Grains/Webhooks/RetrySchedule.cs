namespace AgentOrleans.Grains.Webhooks;

/// <summary>When a delivery is tried again: doubling waits from the first retry delay, capped, until it is too old.</summary>
public static class RetrySchedule
{
    /// <summary>The next attempt after <paramref name="failedAttempts"/> failures, or null when the delivery has failed for good.</summary>
    public static DateTimeOffset? NextAttempt(DateTimeOffset createdAt, int failedAttempts, DateTimeOffset now, WebhookOptions options)
    {
        var exponent = Math.Min(failedAttempts - 1, 30);
        var delay = TimeSpan.FromTicks(Math.Min(options.FirstRetryDelay.Ticks * (1L << exponent), options.MaxRetryDelay.Ticks));
        var next = now + delay;
        return next - createdAt > options.GiveUpAfter ? null : next;
    }
}
