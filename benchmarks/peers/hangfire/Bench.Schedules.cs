using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Hangfire;
using Hangfire.Server;

namespace AgentOrleans.Benchmarks.Peers.Hangfire;

/// <summary>
/// S10, recurring jobs: memory per idle recurring job, then the lateness of every fire of N recurring jobs
/// (<c>RecurringJob.AddOrUpdate</c> with a 6-field seconds cron, <c>*/P * * * * *</c>), all on the same fire times.
/// </summary>
public sealed partial class Bench
{
    public void S10()
    {
        var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        var storage = Fresh();
        var manager = new RecurringJobManager(storage);
        var options = Stores.ServerOptions(o);
        // Default 15 s: the recurring job scheduler looks for due jobs that often, so a 10 s cron would fire up to 15 s
        // late and skip occurrences. Hangfire's documentation has sub-minute crons lower it; 1 s is the finest it
        // takes in whole seconds, and what a user of a seconds cron would set.
        options.SchedulePollingInterval = TimeSpan.FromSeconds(o.SchedulePollingSeconds);
        using var server = new BackgroundJobServer(options, storage);
        Recurring.Reset();
        Recurring.Period = TimeSpan.FromSeconds(o.S10Period);

        // Warm-up: the recurring paths through the JIT (add, fire, remove), then a compacted baseline.
        var warm = Enumerable.Range(0, Math.Min(50, o.S10N)).Select(i => $"warm-{i}").ToList();
        foreach (var id in warm)
        {
            manager.AddOrUpdate(id, () => Recurring.Tick(id, null), "* * * * * *");
        }

        WaitUntil(() => Recurring.Count >= warm.Count, 30);
        foreach (var id in warm)
        {
            manager.RemoveIfExists(id);
        }

        Thread.Sleep(1000);
        Recurring.Reset();
        var heapBefore = Compact();
        var rssBefore = RssBytes();
        var ids = Enumerable.Range(0, o.S10N).Select(i => $"bench-s{i:D5}").ToList();
        foreach (var id in ids)
        {
            manager.AddOrUpdate(id, () => Recurring.Tick(id, null), "0 0 1 1 *"); // idle: once a year
        }

        Thread.Sleep(2000);
        var rssAfter = RssBytes();
        var heapAfter = Compact();
        var rssAfterGc = RssBytes();

        // Lateness: the same N jobs put again with the seconds cron; fires measured from the first whole period after the puts.
        var period = TimeSpan.FromSeconds(o.S10Period);
        var cron = $"*/{o.S10Period.ToString(CultureInfo.InvariantCulture)} * * * * *";
        foreach (var id in ids)
        {
            manager.AddOrUpdate(id, () => Recurring.Tick(id, null), cron);
        }

        var now = DateTime.UtcNow.AddSeconds(1);
        var first = new DateTime(((now.Ticks / period.Ticks) + 1) * period.Ticks, DateTimeKind.Utc);
        var last = first + (period * (o.S10Fires - 1));
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        WaitUntil(() => DateTime.UtcNow > last + (period / 2) + TimeSpan.FromSeconds(2), (last - DateTime.UtcNow).TotalSeconds + 60, 100);
        var cpuShare = (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - cpu0) / (last - first + period).TotalSeconds;
        var fires = Recurring.Fires.Where(f => f.Nominal >= first && f.Nominal <= last).ToList();
        var lateness = fires.Select(f => f.LatenessMs).Order().ToArray();
        var created = fires.Select(f => f.CreatedMs).Order().ToArray();
        var settings = Settings(
            ("steps_per_run", 1), ("loadavg_at_start", Math.Round(load, 2)), ("schedules", o.S10N), ("period_s", o.S10Period), ("fires_per_schedule", o.S10Fires),
            ("fires_expected", o.S10N * o.S10Fires), ("fires_measured", lateness.Length),
            ("duplicate_fires", fires.Count - fires.Select(f => (f.Id, f.Nominal)).Distinct().Count()),
            ("cron", cron), ("schedule_polling_interval_s", o.SchedulePollingSeconds), ("misfire_handling", "Relaxed (the default)"),
            ("process_cpu_share_of_a_core", Math.Round(cpuShare, 3)),
            ("created_p50_ms", lateness.Length > 0 ? Math.Round(Percentile(created, 50), 3) : (double?)null),
            ("created_p99_ms", lateness.Length > 0 ? Math.Round(Percentile(created, 99), 3) : (double?)null),
            ("rss_before_mb", Math.Round(rssBefore / 1048576.0, 1)), ("rss_after_mb", Math.Round(rssAfter / 1048576.0, 1)),
            ("rss_after_gc_mb", Math.Round(rssAfterGc / 1048576.0, 1)),
            ("gc_heap_before_mb", Math.Round(heapBefore / 1048576.0, 1)), ("gc_heap_after_mb", Math.Round(heapAfter / 1048576.0, 1)),
            ("method", "one BackgroundJobServer in the process (worker count as S1-S3); 50 warm-up recurring jobs (every second) added, fired, removed; full compacting GC; VmRSS and GC heap before; "
                + "N RecurringJob.AddOrUpdate with a yearly cron (idle); 2 s settle; VmRSS after; full compacting GC; VmRSS and GC heap after; the same N updated to the seconds cron; "
                + "lateness = job start (DateTime.UtcNow in the job) - its occurrence (the cron time at or before the job's CreatedAt), occurrences from the first whole period 1 s after the updates, fires_per_schedule each"));
        settings.Remove("chain");
        settings.Remove("producer_threads");
        Emit("S10", $"fire_lateness_p50@{o.S10N}", "ms", lateness.Length > 0 ? Percentile(lateness, 50) : (double?)null, settings);
        Emit("S10", $"fire_lateness_p99@{o.S10N}", "ms", lateness.Length > 0 ? Percentile(lateness, 99) : (double?)null, settings);
        Emit("S10", $"fire_lateness_max@{o.S10N}", "ms", lateness.Length > 0 ? lateness[^1] : (double?)null, settings);
        Emit("S10", $"fires_missing@{o.S10N}", "fires", (o.S10N * o.S10Fires) - fires.Select(f => (f.Id, f.Nominal)).Distinct().Count(), settings);
        Emit("S10", $"rss_bytes_per_idle_schedule@{o.S10N}", "bytes", (rssAfter - rssBefore) / (double)o.S10N, settings);
        Emit("S10", $"rss_bytes_per_idle_schedule_after_gc@{o.S10N}", "bytes", (rssAfterGc - rssBefore) / (double)o.S10N, settings);
        Emit("S10", $"gc_heap_bytes_per_idle_schedule@{o.S10N}", "bytes", (heapAfter - heapBefore) / (double)o.S10N, settings);
        foreach (var id in ids)
        {
            manager.RemoveIfExists(id);
        }
    }

    /// <summary>As the AgentOrleans load tool's GC probe does in the Api: full, blocking, compacting, the LOH too.</summary>
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

/// <summary>S10's recurring job: records when it started beside its occurrence.</summary>
public static class Recurring
{
    private static ConcurrentBag<Fire> _fires = [];

    public static IReadOnlyCollection<Fire> Fires => _fires;

    public static int Count => _fires.Count;

    /// <summary>The period of the seconds cron, to find each fire's occurrence.</summary>
    public static TimeSpan Period { get; set; } = TimeSpan.FromSeconds(10);

    public static void Reset() => _fires = [];

    public static void Tick(string id, PerformContext? context)
    {
        var started = DateTime.UtcNow;
        var createdAt = context?.BackgroundJob.CreatedAt ?? started;
        var nominal = new DateTime(createdAt.Ticks / Period.Ticks * Period.Ticks, DateTimeKind.Utc);
        _fires.Add(new Fire(id, nominal, (started - nominal).TotalMilliseconds, (createdAt - nominal).TotalMilliseconds));
    }

    public sealed record Fire(string Id, DateTime Nominal, double LatenessMs, double CreatedMs);
}
