using System.Globalization;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>
/// The Api's own record of SSE writes — <c>agentorleans_events_delivery_lag_seconds</c> on
/// <c>/metrics</c>, one sample per event per client, taken when the Api writes the event to the
/// connection — for one event type. Read before and after a scenario, the difference is the
/// server's share of a fan-out, without the clients' receiving and parsing.
/// </summary>
public sealed record DeliveryLagHistogram(SortedDictionary<double, long> Cumulative)
{
    private const string Bucket = "agentorleans_events_delivery_lag_seconds_bucket{";

    public static async Task<DeliveryLagHistogram?> ReadAsync(HttpClient http, string eventType)
    {
        try
        {
            var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            var cumulative = new SortedDictionary<double, long>();
            foreach (var line in text.Split('\n').Where(l => l.StartsWith(Bucket, StringComparison.Ordinal) && l.Contains($"type=\"{eventType}\"", StringComparison.Ordinal)))
            {
                var le = line[(line.IndexOf("le=\"", StringComparison.Ordinal) + 4)..];
                le = le[..le.IndexOf('"')];
                var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
                var count = long.Parse(line[(line.IndexOf("} ", StringComparison.Ordinal) + 2)..].Split(' ')[0], CultureInfo.InvariantCulture);
                cumulative[bound] = cumulative.GetValueOrDefault(bound) + count;
            }

            return new DeliveryLagHistogram(cumulative);
        }
        catch (HttpRequestException)
        {
            return null; // Prometheus switched off: no server-side figure.
        }
    }

    /// <summary>The samples recorded since <paramref name="before"/>.</summary>
    public DeliveryLagHistogram Since(DeliveryLagHistogram before) =>
        new(new SortedDictionary<double, long>(Cumulative.ToDictionary(b => b.Key, b => b.Value - before.Cumulative.GetValueOrDefault(b.Key))));

    public long Count => Cumulative.Count > 0 ? Cumulative.Values.Max() : 0;

    /// <summary>The <paramref name="percent"/>th percentile in ms, interpolated linearly inside its bucket (so only as fine as the buckets).</summary>
    public double PercentileMs(double percent)
    {
        var target = Count * percent / 100;
        var (lower, below) = (0.0, 0L);
        foreach (var (bound, cumulative) in Cumulative)
        {
            if (cumulative >= target && cumulative > below)
            {
                var upper = double.IsPositiveInfinity(bound) ? lower : bound;
                return (lower + (upper - lower) * (target - below) / (cumulative - below)) * 1000;
            }

            (lower, below) = (bound, cumulative);
        }

        return double.NaN;
    }
}
