using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// For states no event announces (a gauge, a counter, a call log): asks again every <c>interval</c> until the
/// condition holds or the deadline passes (Polly: a constant-delay retry on "false" inside a timeout). The
/// caller asserts afterwards, naming what it expected and what it saw.
/// </summary>
public static class Polling
{
    /// <summary>Asks until <paramref name="condition"/> holds or the deadline passes; true when it held.</summary>
    public static Task<bool> UntilAsync(Func<bool> condition, TimeSpan deadline, TimeSpan interval) =>
        UntilAsync(() => Task.FromResult(condition()), deadline, interval);

    /// <summary>Reads until <paramref name="done"/> holds of what was read or the deadline passes; returns the last reading.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan deadline, TimeSpan interval)
    {
        var last = default(T)!;
        await UntilAsync(async () => done(last = await read()), deadline, interval);
        return last;
    }

    /// <summary>Asks until <paramref name="condition"/> holds or the deadline passes; true when it held (it is not asked again).</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan deadline, TimeSpan interval)
    {
        var pipeline = new ResiliencePipelineBuilder<bool>()
            .AddTimeout(deadline)
            .AddRetry(new RetryStrategyOptions<bool>
            {
                ShouldHandle = new PredicateBuilder<bool>().HandleResult(false),
                BackoffType = DelayBackoffType.Constant,
                Delay = interval,
                UseJitter = false,
                MaxRetryAttempts = int.MaxValue,
            })
            .Build();
        try
        {
            return await pipeline.ExecuteAsync(async _ => await condition());
        }
        catch (TimeoutRejectedException)
        {
            // Deadline passed: the caller's assertion reports it.
            return false;
        }
    }
}
