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
            PrintJson(value);
        }
        else
        {
            text(Console, value);
        }
    }

    /// <summary>Prints a value as one JSON document, whatever the output format.</summary>
    public void PrintJson<T>(T value) => Console.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(value, JsonOutput.Options));
}
