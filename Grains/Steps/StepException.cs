namespace AgentOrleans.Grains.Steps;

/// <summary>
/// A step failure with an error type name of its choosing. Retry policies match
/// <c>nonRetryable</c> on <see cref="ErrorType"/>; <see cref="Retryable"/> false stops retrying
/// whatever the policy says (a 4xx answer, a validation error).
/// </summary>
public class StepException(string errorType, string message, bool retryable = true, Exception? inner = null)
    : Exception(message, inner)
{
    public string ErrorType { get; } = errorType;

    public bool Retryable { get; } = retryable;

    /// <summary>
    /// The least time to wait before the next attempt (a provider's <c>Retry-After</c>); the node's
    /// backoff delay is raised to it when shorter. Null: the retry policy alone decides.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }
}
