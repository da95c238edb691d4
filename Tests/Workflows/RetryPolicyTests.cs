using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Tests.Workflows;

public class RetryPolicyTests
{
    private static RetryPolicy Policy(double jitter, TimeSpan? maxDelay = null) =>
        new(10, TimeSpan.FromSeconds(1), 2.0, maxDelay ?? TimeSpan.FromMinutes(5), jitter, []);

    // random 0.5 is the middle of the jitter range, so the delay is the unjittered one.
    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 4)]
    [InlineData(5, 8)]
    public void DelaysGrowExponentiallyFromTheInitialDelay(int nextAttempt, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Policy(jitter: 0.2).DelayBefore(nextAttempt, random: 0.5));
    }

    [Fact]
    public void DelaysAreCappedAtTheMaximumDelay()
    {
        var policy = Policy(jitter: 0, maxDelay: TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(4), policy.DelayBefore(4, random: 0.3));
        Assert.Equal(TimeSpan.FromSeconds(5), policy.DelayBefore(5, random: 0.3));
        Assert.Equal(TimeSpan.FromSeconds(5), policy.DelayBefore(1000, random: 0.3));
    }

    [Fact]
    public void JitterStaysWithinItsFractionOfTheDelay()
    {
        var policy = Policy(jitter: 0.2);

        Assert.Equal(TimeSpan.FromSeconds(3.2), policy.DelayBefore(4, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(4.8), policy.DelayBefore(4, random: 1));
    }

    [Fact]
    public void JitterNeverTakesADelayBeyondTheMaximum()
    {
        var policy = Policy(jitter: 0.2, maxDelay: TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(5), policy.DelayBefore(10, random: 1));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.DelayBefore(10, random: 0));
    }

    [Fact]
    public void ANonRetryableErrorTypeStopsRetrying()
    {
        var policy = RetryPolicy.None with { NonRetryable = ["InvalidInput"] };

        Assert.False(policy.IsRetryable("InvalidInput"));
        Assert.True(policy.IsRetryable("HttpTimeout"));
    }

    [Fact]
    public void TheRetryPolicyIsReadFromTheDefinition()
    {
        var workflow = Definitions.Valid("""
            {"id":"w","start":"a","nodes":{"a":{"type":"delay","with":{"duration":"1s"},
              "retry":{"maxAttempts":4,"initialDelay":"500ms","backoff":3,"maxDelay":"10s","jitter":0.1,"nonRetryable":["Fatal"]}}}}
            """);

        var retry = workflow.Start.Retry;
        Assert.Equal((4, TimeSpan.FromMilliseconds(500), 3.0, TimeSpan.FromSeconds(10), 0.1), (retry.MaxAttempts, retry.InitialDelay, retry.Backoff, retry.MaxDelay, retry.Jitter));
        Assert.Equal(["Fatal"], retry.NonRetryable);
    }
}
