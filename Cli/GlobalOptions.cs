using System.CommandLine;

namespace AgentOrleans.Cli;

/// <summary>The options every command takes: where the API is, the key to call it with, and the output format.</summary>
public sealed class GlobalOptions
{
    public const string UrlVariable = "AGENTORLEANS_URL";
    public const string KeyVariable = "AGENTORLEANS_API_KEY";

    public Option<string?> Api { get; } = new("--api") { Description = $"The API's base URL (or {UrlVariable}; default http://127.0.0.1:5080)", Recursive = true };

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = $"An API key or token, sent as Authorization: Bearer (or {KeyVariable})", Recursive = true };

    public Option<string> Output { get; } = new("--output", "-o") { Description = "text or json", Recursive = true, DefaultValueFactory = _ => "text" };

    public GlobalOptions() => Output.AcceptOnlyFromAmong("text", "json");
}
