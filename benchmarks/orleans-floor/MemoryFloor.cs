using System.Globalization;
using System.Runtime;
using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Floor;

/// <summary>
/// F6, the floor under S6/S6w: what Orleans itself keeps per grain that has left memory. K grains (string keys, as
/// execution ids) each activated by one call from the in-process client (32 at once), which registers a reminder
/// with the in-memory reminder service (the embedded default's) and deactivates; VmRSS of this process before and
/// after, as S6 reads the Api's; then after a full compacting collection, with the GC's count of live bytes.
/// </summary>
public static class MemoryFloor
{
    public static async Task RunAsync(IClusterClient client, FloorSink sink, int k, bool withReminder, TimeSpan settle, string keyPrefix, Func<(string, JsonNode?)[], JsonObject> settingsOf)
    {
        // Warm-up (the JIT and the thread pool, like S6's 2,000 warm-up runs), then a compacted baseline.
        await ParkAll(client, 2000, withReminder, keyPrefix + "-warm");
        await Task.Delay(settle);
        var heapBefore = Compact();
        var before = RssBytes();
        await ParkAll(client, k, withReminder, keyPrefix);
        await Task.Delay(settle);
        var after = RssBytes();
        var heapAfter = Compact();
        var afterGc = RssBytes();
        var what = withReminder ? "with_reminder" : "plain";
        var settings = settingsOf(
        [
            ("grains", k), ("callers", 32), ("reminder", withReminder ? "in-memory reminder service, due 1 h, period 1 min" : "none"),
            ("rss_before_mb", Math.Round(before / 1048576.0, 1)), ("rss_after_mb", Math.Round(after / 1048576.0, 1)),
            ("rss_after_gc_mb", Math.Round(afterGc / 1048576.0, 1)),
            ("gc_heap_before_mb", Math.Round(heapBefore / 1048576.0, 1)), ("gc_heap_after_mb", Math.Round(heapAfter / 1048576.0, 1)),
            ("method", $"2,000 warm-up grains; {settle.TotalSeconds:0} s settle; full compacting GC (LOH too); VmRSS before; K grains (string keys) each called once by the in-process client, 32 at once: {(withReminder ? "registers a reminder and " : "")}DeactivateOnIdle; {settle.TotalSeconds:0} s settle; VmRSS after; full compacting GC; VmRSS after GC; (after - before) / K"),
        ]);
        sink.Add("F6", $"rss_bytes_per_deactivated_grain_{what}@{k}", "bytes", (after - before) / (double)k, settings);
        sink.Add("F6", $"rss_bytes_per_deactivated_grain_{what}_after_gc@{k}", "bytes", (afterGc - before) / (double)k, settings);
        sink.Add("F6", $"gc_heap_bytes_per_deactivated_grain_{what}@{k}", "bytes", (heapAfter - heapBefore) / (double)k, settings);
    }

    private static Task ParkAll(IClusterClient client, int k, bool withReminder, string prefix) =>
        Parallel.ForAsync(0, k, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            await client.GetGrain<IParkingGrain>($"{prefix}-{i:D7}").ParkAsync(withReminder));

    /// <summary>As the load tool's GC probe does in the Api: full, blocking, compacting, the LOH too.</summary>
    private static long Compact()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes;
    }

    private static long RssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
