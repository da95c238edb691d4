using System.Globalization;

namespace AgentOrleans.Benchmarks.Load;

/// <summary>The repository's LLM simulator (tools/LlmSimulator, Release build) as a child process on a free loopback port.</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private SimulatorHost(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The OpenAI-style base URL a provider is configured with.</summary>
    public string BaseUrl => new Uri(BaseAddress, "/v1").ToString();

    public int Pid => _process.Pid;

    public static async Task<SimulatorHost> StartAsync(string dll, string logPath, TimeSpan timeout)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"build the simulator first (dotnet build -c Release tools/LlmSimulator/LlmSimulator.csproj): {dll} is missing");
        }

        var port = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        var process = ChildProcess.Start(dll, ["--urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning"],
            new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production" }, logPath);
        var host = new SimulatorHost(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await process.WaitReadyAsync(new Uri(host.BaseAddress, "/v1/models"), timeout, "the LLM simulator");
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
