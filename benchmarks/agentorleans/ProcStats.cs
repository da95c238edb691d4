using System.Globalization;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>CPU time, resident memory and threads of a process, read from /proc (Linux).</summary>
public static class ProcStats
{
    /// <summary>utime + stime in seconds (/proc/PID/stat, clock ticks of 10 ms).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields after the name start at field 3 (state): utime is field 14, stime 15.
        var utime = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
        return (utime + stime) / 100.0;
    }

    /// <summary>VmRSS in bytes (/proc/PID/status).</summary>
    public static long RssBytes(int pid) => Status(pid, "VmRSS:") * 1024;

    public static int Threads(int pid) => (int)Status(pid, "Threads:");

    private static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
