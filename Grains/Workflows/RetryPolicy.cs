namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// A node's retry policy. Defaults: one attempt (no retry), 1 s initial delay, backoff
/// factor 2, delays capped at 5 min, ±20% jitter.
/// </summary>
public sealed record RetryPolicy(
    int MaxAttempts,
    TimeSpan InitialDelay,
    double Backoff,
    TimeSpan MaxDelay,
    double Jitter,
    IReadOnlyList<string> NonRetryable)
{
    public static readonly RetryPolicy None = new(1, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromMinutes(5), 0.2, []);

    /// <summary>The delay before attempt <paramref name="nextAttempt"/> (2, 3…), with jitter drawn from <paramref name="random"/> (0..1).</summary>
    public TimeSpan DelayBefore(int nextAttempt, double random)
    {
        var exponent = Math.Max(0, nextAttempt - 2);
        var raw = Math.Min(InitialDelay.TotalMilliseconds * Math.Pow(Backoff, exponent), MaxDelay.TotalMilliseconds);
        var jittered = raw * (1 + Jitter * ((random * 2) - 1));
        return TimeSpan.FromMilliseconds(Math.Max(0, Math.Min(jittered, MaxDelay.TotalMilliseconds)));
    }

    public bool IsRetryable(string errorType) => !NonRetryable.Contains(errorType, StringComparer.Ordinal);
}
