namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// For states no event announces (a gauge, a counter, a call log): checks on a timer tick until the condition
/// holds or the deadline passes. The caller asserts afterwards, naming what it expected and what it saw.
/// </summary>
public static class Polling
{
    public static Task UntilAsync(Func<bool> condition, TimeSpan deadline, TimeSpan interval) =>
        UntilAsync(() => Task.FromResult(condition()), deadline, interval);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan deadline, TimeSpan interval)
    {
        using var timeout = new CancellationTokenSource(deadline);
        using var ticks = new PeriodicTimer(interval);
        try
        {
            while (!await condition() && await ticks.WaitForNextTickAsync(timeout.Token))
            {
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // Deadline passed: the caller's assertion reports it.
        }
    }
}
