namespace AgentOrleans.Benchmarks.Load;

/// <summary>
/// The simulator's time-stamped tokens (<c>sim-stream-N-Dms</c>: <c>@</c> and the Unix microseconds it emitted the
/// token) one client received for one run. Every token of a run is unique, so the distinct ones tell what was lost
/// and the rest what was delivered twice; the stamp against the receive time is the token's delivery latency.
/// </summary>
public sealed class TokenTally(List<double>? latenciesMs)
{
    private readonly HashSet<long> _distinct = new(capacity: 1024);

    /// <summary>Every token received, duplicates included.</summary>
    public int Received { get; private set; }

    public int Distinct => _distinct.Count;

    /// <summary>The delivery latency of each token's first delivery, when this tally measures them.</summary>
    public List<double>? LatenciesMs => latenciesMs;

    /// <summary>Records each stamp in <paramref name="bytes"/>; a latency for each first delivery when this tally measures them.</summary>
    public void Scan(ReadOnlySpan<byte> bytes, DateTimeOffset received)
    {
        var receivedUs = (received - DateTimeOffset.UnixEpoch).Ticks / 10;
        for (var at = bytes.IndexOf((byte)'@'); at >= 0; at = bytes.IndexOf((byte)'@'))
        {
            bytes = bytes[(at + 1)..];
            long stamp = 0;
            var digits = 0;
            while (digits < bytes.Length && bytes[digits] is >= (byte)'0' and <= (byte)'9')
            {
                stamp = (stamp * 10) + (bytes[digits] - '0');
                digits++;
            }

            // A stamp is 16 digits (microseconds since 1970, until the year 2286); anything else is not a token.
            if (digits != 16)
            {
                continue;
            }

            Received++;
            if (_distinct.Add(stamp))
            {
                latenciesMs?.Add((receivedUs - stamp) / 1000.0);
            }

            bytes = bytes[digits..];
        }
    }
}
