using AgentOrleans.Tests.Distributed;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Tests.Mcp;

/// <summary>
/// The embedded Api with the LLM provider on the simulator and three MCP servers: <see cref="Files"/> (the built
/// tools/McpTestServer over stdio), <see cref="Broken"/> (the same server told to fail at start) and
/// <see cref="Remote"/> (an HTTP server on a loopback address the outbound guard refuses); its logs captured.
/// </summary>
public sealed class McpApiFactory(string simulatorUrl) : ApiFactory
{
    public const string Files = "files";
    public const string Broken = "broken";
    public const string Remote = "remote";

    /// <summary>Set for the files server from the secret <c>MCP_SANDBOX</c>, whose value is <see cref="SecretValue"/>.</summary>
    public const string SecretVariable = "SANDBOX_TOKEN";

    public const string SecretValue = "sandbox-SECRET-4711";

    /// <summary>Set in this process (the silo's), so a server that inherited the environment would see it.</summary>
    public const string SiloOnlyVariable = "AO_MCP_TEST_SILO_ONLY";

    public CapturedLogs Logs { get; } = new();

    protected override int PortSuffix => 481;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AgentOrleans:Cluster:Dashboard", "false");
        builder.UseSetting("AgentOrleans:Api:PreloadSamples", "false");
        builder.UseSetting("AgentOrleans:Llm:Providers:default:BaseUrl", simulatorUrl);
        builder.UseSetting("AgentOrleans:Llm:Providers:default:Model", "sim-fast");
        builder.UseSetting($"AgentOrleans:Mcp:Servers:{Files}:Command", "dotnet");
        builder.UseSetting($"AgentOrleans:Mcp:Servers:{Files}:Args:0", ServerDll());
        builder.UseSetting($"AgentOrleans:Mcp:Servers:{Files}:Env:{SecretVariable}", "${{ secrets.MCP_SANDBOX }}");
        builder.UseSetting("AgentOrleans:Secrets:MCP_SANDBOX", SecretValue);
        Environment.SetEnvironmentVariable(SiloOnlyVariable, "silo");
        builder.UseSetting($"AgentOrleans:Mcp:Servers:{Broken}:Command", "dotnet");
        builder.UseSetting($"AgentOrleans:Mcp:Servers:{Broken}:Args:0", ServerDll());
        builder.UseSetting($"AgentOrleans:Mcp:Servers:{Broken}:Args:1", "--fail-at-start");
        // 127.0.0.2 is loopback, and ApiFactory allows 127.0.0.1 only: the guard must refuse it before anything connects.
        builder.UseSetting($"AgentOrleans:Mcp:Servers:{Remote}:Url", "http://127.0.0.2:9/mcp");
        builder.ConfigureServices(services => services.AddLogging(logging => logging
            .AddProvider(Logs)
            .AddFilter<CapturedLogs>("AgentOrleans", LogLevel.Trace)));
    }

    /// <summary>tools/McpTestServer built with the same configuration as this test assembly (Tests.csproj builds it).</summary>
    private static string ServerDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(DistributedFixture.RepoRoot, "tools", "McpTestServer", "bin", testBin.Parent!.Name, testBin.Name, "McpTestServer.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("tools/McpTestServer is not built: build the solution first", dll);
    }
}
