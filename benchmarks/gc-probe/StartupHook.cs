using System.Globalization;
using System.Runtime;
using System.Text.Json;

/// <summary>
/// Loaded into the Api by <c>DOTNET_STARTUP_HOOKS</c> (the runtime calls <see cref="Initialize"/> before <c>Main</c>;
/// the type must be named <c>StartupHook</c> and sit in no namespace). It watches the file named by
/// <c>AO_GC_PROBE</c>: when the load tool writes a request id there, it runs a full, blocking, compacting
/// collection (the large object heap compacted too) and writes <c>&lt;file&gt;.done</c> with the request id and
/// what the GC says of the heap afterwards. What RSS still holds after it is live data, heap the GC kept
/// committed, or native memory, not garbage waiting for a collection.
/// </summary>
#pragma warning disable CA1050 // The runtime looks the hook up by this exact name, outside any namespace.
internal static class StartupHook
#pragma warning restore CA1050
{
    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable("AO_GC_PROBE");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var thread = new Thread(() => Watch(path)) { IsBackground = true, Name = "gc-probe" };
        thread.Start();
    }

    private static void Watch(string path)
    {
        var served = string.Empty;
        while (true)
        {
            Thread.Sleep(100);
            string request;
            try
            {
                request = File.Exists(path) ? File.ReadAllText(path).Trim() : string.Empty;
            }
            catch (IOException)
            {
                continue;
            }

            if (request.Length == 0 || request == served)
            {
                continue;
            }

            served = request;
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var info = GC.GetGCMemoryInfo(GCKind.Any);
            var answer = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["request"] = request,
                ["heap_bytes"] = info.HeapSizeBytes,
                ["fragmented_bytes"] = info.FragmentedBytes,
                ["committed_bytes"] = info.TotalCommittedBytes,
                ["total_memory_bytes"] = GC.GetTotalMemory(forceFullCollection: false),
                ["compacted"] = info.Compacted,
                ["generation_sizes_after"] = info.GenerationInfo.ToArray().Select(g => g.SizeAfterBytes).ToArray(),
                ["at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            });
            File.WriteAllText(path + ".tmp", answer);
            File.Move(path + ".tmp", path + ".done", overwrite: true);
        }
    }
}
