using AgentOrleans.Client.Http;
using Spectre.Console;

namespace AgentOrleans.Cli;

/// <summary>What every command gets: the API client, the console, and whether to print JSON for scripts.</summary>
public sealed class CliContext(AgentOrleansClient client, IAnsiConsole console, bool json)
{
    public AgentOrleansClient Client { get; } = client;

    public IAnsiConsole Console { get; } = console;

    /// <summary><c>--output json</c>: one JSON document on stdout, nothing decorative.</summary>
    public bool Json { get; } = json;

    /// <summary>Prints a result: as JSON with <c>--output json</c>, else through <paramref name="text"/>.</summary>
    public void Print<T>(T value, Action<IAnsiConsole, T> text)
    {
        if (Json)
        {
            Console.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(value, JsonOutput.Options));
        }
        else
        {
            text(Console, value);
        }
    }
}
