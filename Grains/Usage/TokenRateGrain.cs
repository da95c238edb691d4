namespace AgentOrleans.Grains.Usage;

/// <summary>
/// One provider's tokens-per-minute pool (<see cref="ITokenRateGrain"/>), in memory: a minute's count does not outlive
/// the minute, and an activation lost with its silo only forgets what is left of the current one.
/// </summary>
internal sealed class TokenRateGrain(TimeProvider time) : Grain, ITokenRateGrain
{
    private readonly TokenWindow _window = new();

    public Task<DateTimeOffset?> AskAsync(long limit) => Task.FromResult(_window.Ask(time.GetUtcNow(), limit));

    public Task UseAsync(long tokens)
    {
        _window.Use(time.GetUtcNow(), tokens);
        return Task.CompletedTask;
    }

    public Task HoldAsync(DateTimeOffset until)
    {
        _window.Hold(until);
        return Task.CompletedTask;
    }
}
