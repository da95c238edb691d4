using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentOrleans.Cli;
using AgentOrleans.Tests.Distributed;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Cli;

/// <summary>
/// <c>run --watch</c> as a person sees it: the built <c>agentorleans</c> in a pseudo-terminal (util-linux <c>script</c>),
/// so Spectre.Console draws its live tree with ANSI sequences, and the exit code still says how the run ended.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CliLiveViewTests(ApiFactory factory)
{
    [Fact]
    public async Task RunWatchDrawsALiveTreeInATerminalAndExitsWithTheRunsStatus()
    {
        var api = new ApiClient(factory.CreateClient());
        var workflow = await api.PublishAsync(new JsonObject { ["first"] = Node("test.block", new JsonObject { ["ms"] = 300 }), ["second"] = Node("test.count") });

        var (exit, screen) = await RunInTerminalAsync($"run {workflow} --watch --api {factory.CreateClient().BaseAddress}");

        Assert.True(exit == ExitCodes.Ok, $"expected exit 0, got {exit}; the terminal showed:\n{screen}");
        Assert.Contains("\u001b[", screen, StringComparison.Ordinal);
        Assert.Contains("first", screen, StringComparison.Ordinal);
        Assert.Contains("second", screen, StringComparison.Ordinal);
        Assert.Contains("✔", screen, StringComparison.Ordinal);
        Assert.Contains("ended", screen, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Screen)> RunInTerminalAsync(string arguments)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(DistributedFixture.RepoRoot, "Cli", "bin", testBin.Parent!.Name, testBin.Name, "agentorleans.dll");
        Assert.True(File.Exists(dll), $"the CLI is not built: {dll}");
        var info = new ProcessStartInfo("script", ["--quiet", "--return", "--command", $"dotnet {dll} {arguments}", "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.Environment["TERM"] = "xterm-256color";
        info.Environment["COLUMNS"] = "120";
        using var process = Process.Start(info)!;
        var screen = process.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await screen);
    }
}
