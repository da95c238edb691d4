namespace AgentOrleans.Grains.Usage;

/// <summary>
/// A provider's tokens-per-minute limit as a cluster pool refilled each minute, keyed by the provider's name. A call
/// is sent only while the minute's tokens are not used up and no 429 holds the provider.
/// </summary>
[Alias("AgentOrleans.ITokenRateGrain")]
public interface ITokenRateGrain : IGrainWithStringKey
{
    /// <summary>Null when a call may be sent now; otherwise when to ask again (the next refill, or the end of a hold).</summary>
    [Alias("Ask")]
    Task<DateTimeOffset?> AskAsync(long limit);

    /// <summary>Tokens a call to the provider used, counted in the current minute.</summary>
    [Alias("Use")]
    Task UseAsync(long tokens);

    /// <summary>The provider answered 429: no call is sent until <paramref name="until"/>.</summary>
    [Alias("Hold")]
    Task HoldAsync(DateTimeOffset until);
}
