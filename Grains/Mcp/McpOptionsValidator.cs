using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Mcp;

/// <summary>Stops the process at start when an MCP server is half-configured, naming its keys.</summary>
internal sealed partial class McpOptionsValidator : IValidateOptions<McpOptions>
{
    public ValidateOptionsResult Validate(string? name, McpOptions options)
    {
        var failures = new List<string>();
        foreach (var (server, settings) in options.Servers)
        {
            var key = $"{McpOptions.SectionName}:Servers:{server}";
            if (!ServerName().IsMatch(server))
            {
                failures.Add($"{key}: a server name is 1 to 64 letters, digits, '_' and '-'");
            }

            failures.AddRange(Transport(key, settings));
            failures.AddRange(settings.Env.Concat(settings.Headers)
                .Select(p => (p.Key, Problem: McpSecretText.Problem(p.Value)))
                .Where(p => p.Problem is not null)
                .Select(p => $"{key}:{(settings.Env.ContainsKey(p.Key) ? "Env" : "Headers")}:{p.Key}: {p.Problem}"));
        }

        if (options.StartTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{McpOptions.SectionName}:StartTimeout must be positive");
        }

        if (options.ToolListTtl < TimeSpan.Zero)
        {
            failures.Add($"{McpOptions.SectionName}:ToolListTtl must not be negative");
        }

        if (options.MaxResultChars < 1)
        {
            failures.Add($"{McpOptions.SectionName}:MaxResultChars must be at least 1");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Transport(string key, McpServerOptions settings)
    {
        var stdio = !string.IsNullOrWhiteSpace(settings.Command);
        var http = !string.IsNullOrWhiteSpace(settings.Url);
        if (stdio == http)
        {
            yield return $"{key}: give exactly one of Command (a stdio server) and Url (an HTTP server)";
            yield break;
        }

        if (http && !(Uri.TryCreate(settings.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return $"{key}:Url must be an absolute http or https URL";
        }

        if (http && (settings.Args.Count > 0 || settings.Env.Count > 0 || settings.WorkingDirectory is not null || settings.InheritEnvironment))
        {
            yield return $"{key}: Args, Env, WorkingDirectory and InheritEnvironment go with Command only";
        }

        if (stdio && settings.Headers.Count > 0)
        {
            yield return $"{key}: Headers go with Url only";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ServerName();
}
