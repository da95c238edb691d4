using System.Globalization;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>
/// The Api as a child process on free loopback ports: by default its embedded default (co-hosted silo,
/// in-memory storage); extra settings make it something else (a pure client of external silos for S8).
/// Killed on dispose and on exit of this tool.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private ApiHost(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Pid;

    /// <summary>The API key its clients send, when it was started with authentication on.</summary>
    public string? Bearer { get; set; }

    public static async Task<ApiHost> StartAsync(string apiDll, string logPath, TimeSpan timeout, IReadOnlyDictionary<string, string>? settings = null)
    {
        var http = ChildProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["AgentOrleans__Cluster__SiloPort"] = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["AgentOrleans__Cluster__GatewayPort"] = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["AgentOrleans__Api__PreloadSamples"] = "false",
            // The probe endpoint the http steps call listens on 127.0.0.1.
            ["AgentOrleans__Http__AllowedHosts__0"] = "127.0.0.1",
            ["Logging__LogLevel__Default"] = "Warning",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var process = ChildProcess.Start(apiDll, ["--urls", $"http://127.0.0.1:{http}"], environment, logPath);
        var host = new ApiHost(process, new Uri($"http://127.0.0.1:{http}"));
        try
        {
            await process.WaitReadyAsync(new Uri(host.BaseAddress, "/readyz"), timeout, "the Api");
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>utime + stime of the Api process, in seconds.</summary>
    public double CpuSeconds() => ProcStats.CpuSeconds(Pid);

    /// <summary>VmRSS of the Api process in bytes.</summary>
    public long RssBytes() => ProcStats.RssBytes(Pid);

    public int Threads() => ProcStats.Threads(Pid);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
