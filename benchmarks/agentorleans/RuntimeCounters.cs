using System.Globalization;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>
/// The Api's .NET runtime counters as its <c>/metrics</c> shows them (the <c>System.Runtime</c> meter):
/// read before and after a scenario, their difference says how much of the scenario went to GC.
/// </summary>
public sealed record RuntimeCounters(double GcPauseSeconds, long Gen0, long Gen1, long Gen2, long AllocatedBytes)
{
    public static async Task<RuntimeCounters?> ReadAsync(HttpClient http)
    {
        try
        {
            var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            double Value(string name, string? label = null) => text.Split('\n')
                .Where(l => l.StartsWith(name, StringComparison.Ordinal) && (label is null || l.Contains(label, StringComparison.Ordinal)))
                .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
                .FirstOrDefault();
            return new RuntimeCounters(
                Value("dotnet_gc_pause_time_seconds_total"),
                (long)Value("dotnet_gc_collections_total", "\"gen0\""),
                (long)Value("dotnet_gc_collections_total", "\"gen1\""),
                (long)Value("dotnet_gc_collections_total", "\"gen2\""),
                (long)Value("dotnet_gc_heap_total_allocated_bytes_total"));
        }
        catch (HttpRequestException)
        {
            return null; // Prometheus switched off: the figures go without GC counts.
        }
    }

    /// <summary>What happened between <paramref name="before"/> and this reading, as result settings.</summary>
    public void AddDifference(RuntimeCounters? before, System.Text.Json.Nodes.JsonObject settings, int runs)
    {
        if (before is null)
        {
            return;
        }

        settings["gc_pause_s"] = Math.Round(GcPauseSeconds - before.GcPauseSeconds, 3);
        settings["gc_collections_gen0_gen1_gen2"] = $"{Gen0 - before.Gen0}/{Gen1 - before.Gen1}/{Gen2 - before.Gen2}";
        settings["allocated_kb_per_run"] = runs > 0 ? Math.Round((AllocatedBytes - before.AllocatedBytes) / 1024.0 / runs, 1) : null;
    }
}
