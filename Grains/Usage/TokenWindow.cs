namespace AgentOrleans.Grains.Usage;

/// <summary>
/// A tokens-per-minute allowance refilled each minute: a minute starts with the first call after the last one ended,
/// the tokens calls report are counted in it, and once they reach the limit no call is sent until the next minute.
/// A 429 holds it until its <c>Retry-After</c>. Plain code: the grain keeps one per provider.
/// </summary>
public sealed class TokenWindow
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private DateTimeOffset _start = DateTimeOffset.MinValue;
    private DateTimeOffset _heldUntil = DateTimeOffset.MinValue;

    /// <summary>Tokens counted in the current minute.</summary>
    public long Used { get; private set; }

    /// <summary>Null when a call may be sent at <paramref name="now"/>; else when to ask again.</summary>
    public DateTimeOffset? Ask(DateTimeOffset now, long limit)
    {
        if (_heldUntil > now)
        {
            return _heldUntil;
        }

        Refill(now);
        return Used >= limit ? _start + Minute : null;
    }

    public void Use(DateTimeOffset now, long tokens)
    {
        Refill(now);
        Used += tokens;
    }

    public void Hold(DateTimeOffset until)
    {
        if (until > _heldUntil)
        {
            _heldUntil = until;
        }
    }

    private void Refill(DateTimeOffset now)
    {
        if (now >= _start + Minute)
        {
            _start = now;
            Used = 0;
        }
    }
}
