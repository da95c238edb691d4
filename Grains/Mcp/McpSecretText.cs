using System.Text.RegularExpressions;
using AgentOrleans.Grains.Secrets;

namespace AgentOrleans.Grains.Mcp;

/// <summary>
/// A server's header or environment value with its <c>${{ secrets.NAME }}</c> placeholders: checked at start, filled
/// in from the secret store only as the server is started (the value goes to the transport and nowhere else).
/// </summary>
internal static partial class McpSecretText
{
    /// <summary>Why <paramref name="text"/> cannot be used, or null: every <c>${{ }}</c> in it must be exactly a secret's placeholder.</summary>
    public static string? Problem(string text) =>
        Placeholders().Matches(text).Select(m => m.Groups["inner"].Value).FirstOrDefault(inner => !SecretReference.TryParse(inner, out _)) is { } bad
            ? $"'${{{{{bad}}}}}' is not a secret's placeholder: only ${{{{ secrets.NAME }}}} may appear in MCP server settings"
            : null;

    public static IEnumerable<string> SecretNames(string text) =>
        Placeholders().Matches(text).Select(m => SecretReference.TryParse(m.Groups["inner"].Value, out var name) ? name : null).OfType<string>();

    public static string Fill(string text, SecretValues values) =>
        Placeholders().Replace(text, m => SecretReference.TryParse(m.Groups["inner"].Value, out var name) ? values[name] : m.Value);

    [GeneratedRegex(@"\$\{\{(?<inner>.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Placeholders();
}
