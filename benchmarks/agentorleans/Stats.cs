namespace AgentOrleans.Benchmarks.Load;

/// <summary>Percentiles by nearest rank, as the peer drivers compute them; shared with the Orleans floor (linked into its project).</summary>
public static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        if (v.Count == 0)
        {
            return double.NaN;
        }

        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[(v.Count / 2) - 1] + v[v.Count / 2]) / 2;
    }

    public static double Round(double v) => double.IsFinite(v) ? Math.Round(v, v >= 100 ? 1 : 3) : v;
}
