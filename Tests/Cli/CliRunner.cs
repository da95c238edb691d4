using AgentOrleans.Cli;
using Spectre.Console.Testing;

namespace AgentOrleans.Tests.Cli;

/// <summary>Runs one <c>agentorleans</c> command line in-process against an API, capturing what it prints and its exit code.</summary>
public sealed class CliRunner(Uri api, IReadOnlyDictionary<string, string>? environment = null)
{
    public async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var console = new TestConsole();
        console.Profile.Width = 200;
        var exit = await CliApp.RunAsync([.. args, "--api", api.ToString()], console, name => environment?.GetValueOrDefault(name));
        return (exit, console.Output);
    }
}
