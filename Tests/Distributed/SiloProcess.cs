using System.Collections.Concurrent;
using System.Diagnostics;

namespace AgentOrleans.Tests.Distributed;

/// <summary>
/// One <c>Silo</c> process (the real standalone host, <c>dotnet Silo.dll</c>). Its output goes to a
/// log file beside the test assembly. Every process started is killed when the fixture is disposed
/// or the test host exits, whatever happened to the test.
/// </summary>
public sealed class SiloProcess
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private static int _nextIndex;

    static SiloProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    private readonly Process _process;
    private readonly StreamWriter _log;

    private SiloProcess(int index, Process process, StreamWriter log, string logPath)
    {
        Index = index;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    /// <summary>Unique across the test run, so a killed silo's ports are never reused by the next cluster.</summary>
    public int Index { get; }

    public int SiloPort => 11500 + Index;

    public int GatewayPort => 30500 + Index;

    public int HttpPort => 5500 + Index;

    public int Pid => _process.Id;

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public static SiloProcess Start(IReadOnlyDictionary<string, string> settings)
    {
        var index = Interlocked.Increment(ref _nextIndex) - 1;
        if (index >= 100)
        {
            throw new InvalidOperationException("more than 100 silos in one run: the port ranges 11500+, 30500+ and 5500+ would overlap other tests'");
        }

        var dll = SiloDll();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        info.Environment["AgentOrleans__Cluster__SiloPort"] = (11500 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["AgentOrleans__Cluster__GatewayPort"] = (30500 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Urls"] = $"http://127.0.0.1:{5500 + index}";

        var logPath = Path.Combine(AppContext.BaseDirectory, "distributed-logs", $"silo-{Environment.ProcessId}-{index}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(index, process, log, logPath);
    }

    /// <summary>SIGKILL: no shutdown, no deactivation, no membership update.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM: the host's graceful shutdown (the silo leaves the cluster and deactivates its grains).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        Running.TryRemove(_process.Id, out _);
        lock (_log)
        {
            _log.Dispose();
        }
    }

    public static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        Running.Clear();
    }

    public string LogTail(int lines = 30)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException ex)
        {
            return $"(log unreadable: {ex.Message})";
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The test finished while the process was still writing.
            }
        }
    }

    /// <summary>The Silo built with the same configuration as this test assembly: Silo/bin/&lt;Configuration&gt;/net10.0/Silo.dll.</summary>
    private static string SiloDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var dll = Path.Combine(DistributedFixture.RepoRoot, "Silo", "bin", configuration, framework, "Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"the Silo is not built for {configuration}: build the solution first", dll);
    }
}
