using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>
/// What a results file says about the run: the machine, its load and the versions measured. Linked into the
/// Orleans floor too (benchmarks/orleans-floor), so both tools describe a run the same way.
/// </summary>
public static class RunInfo
{
    /// <summary>The machine's 1-minute load average.</summary>
    public static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    public static JsonObject Machine(double loadAtStart, string note)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "";
        var memKb = long.Parse(Regex.Match(File.ReadAllText("/proc/meminfo"), @"MemTotal:\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var os = Regex.Match(File.Exists("/etc/os-release") ? File.ReadAllText("/etc/os-release") : "", "PRETTY_NAME=\"?([^\"\n]*)").Groups[1].Value;
        return new JsonObject
        {
            ["cpu_model"] = cpu,
            ["cores"] = Environment.ProcessorCount,
            ["memory_gb"] = Math.Round(memKb / 1024.0 / 1024.0, 1),
            ["os"] = os,
            ["kernel"] = File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            ["loadavg_at_start"] = Math.Round(loadAtStart, 2),
            ["loadavg_at_end"] = Math.Round(LoadAverage(), 2),
            ["note"] = note,
        };
    }

    /// <summary>SDK, runtime, Orleans (as pinned in Directory.Packages.props) and the commit of the checkout at <paramref name="root"/>.</summary>
    public static JsonObject Versions(string root)
    {
        var props = Path.Combine(root, "Directory.Packages.props");
        var orleans = File.Exists(props) ? Regex.Match(File.ReadAllText(props), "<OrleansVersion>([^<]+)<").Groups[1].Value : "";
        return new JsonObject
        {
            ["dotnet"] = Run("dotnet", "--version", root),
            ["dotnet_runtime"] = RuntimeInformation.FrameworkDescription,
            ["orleans"] = orleans,
            ["agentorleans_commit"] = Run("git", "rev-parse --short HEAD", root),
        };
    }

    /// <summary>A command's standard output, or "" when it cannot run (no git checkout, for one).</summary>
    private static string Run(string file, string arguments, string dir)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, WorkingDirectory = dir })!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(20000);
            return output;
        }
        catch (Exception)
        {
            return "";
        }
    }
}
