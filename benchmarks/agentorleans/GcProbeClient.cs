using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>
/// The load tool's side of <c>benchmarks/gc-probe</c>, the startup hook put into the Api for S6/S6w: asks for a
/// full compacting collection in the Api process and returns what the GC reported afterwards. Optionally also
/// takes a <c>dotnet-gcdump</c> of the Api (type-level live sizes), for tracing what holds the memory.
/// </summary>
public sealed class GcProbeClient(string requestFile, string? gcdumpDir)
{
    private int _requests;

    /// <summary>Environment that loads the hook into the Api (its dll built next to the load tool's by run.sh).</summary>
    public static IReadOnlyDictionary<string, string> ApiEnvironment(string hookDll, string requestFile) => new Dictionary<string, string>
    {
        ["DOTNET_STARTUP_HOOKS"] = hookDll,
        ["AO_GC_PROBE"] = requestFile,
    };

    /// <summary>A full, blocking, compacting collection (LOH included) in the Api; the GC's figures after it.</summary>
    public async Task<JsonObject> CollectAsync(TimeSpan timeout)
    {
        var id = $"{Environment.ProcessId}-{Interlocked.Increment(ref _requests)}";
        var done = requestFile + ".done";
        await File.WriteAllTextAsync(requestFile, id);
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            await Task.Delay(100);
            try
            {
                if (File.Exists(done) && JsonNode.Parse(await File.ReadAllTextAsync(done)) is JsonObject answer && (string?)answer["request"] == id)
                {
                    return answer;
                }
            }
            catch (IOException)
            {
                // Being replaced: read it next time round.
            }
        }

        throw new TimeoutException($"the Api's GC probe did not answer within {timeout.TotalSeconds} s (is DOTNET_STARTUP_HOOKS set?)");
    }

    /// <summary>A gcdump of process <paramref name="pid"/> into the dump folder, if one was given.</summary>
    public async Task DumpAsync(int pid, string name)
    {
        if (gcdumpDir is null)
        {
            return;
        }

        Directory.CreateDirectory(gcdumpDir);
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");
        var start = new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-gcdump", ["collect", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", Path.Combine(gcdumpDir, name + ".gcdump")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet-gcdump did not start");
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(bound.Token);
    }
}
