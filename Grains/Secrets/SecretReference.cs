using System.Text.RegularExpressions;

namespace AgentOrleans.Grains.Secrets;

/// <summary>
/// How a definition names a secret: a template placeholder that is exactly <c>${{ secrets.NAME }}</c>,
/// NAME a letter or '_' then letters, digits and '_' (at most 128). It is not an expression: the
/// template engine keeps it as this placeholder text, and only the step that sends it
/// (<see cref="Steps.IStep.SecretSettings"/>) puts the value in, at send time.
/// </summary>
public static partial class SecretReference
{
    /// <summary>What problems say about where secrets may be used and why.</summary>
    public const string WhereAllowed =
        "a secret can be used only in an http node's url and header values, where it is put in as the request is sent; anywhere else its value would end up in the run's state, outputs or events";

    /// <summary>The name referenced by the text inside <c>${{ }}</c>, when that text is exactly <c>secrets.NAME</c>.</summary>
    public static bool TryParse(string expression, out string name)
    {
        var match = Reference().Match(expression);
        name = match.Success ? match.Groups["name"].Value : "";
        return match.Success;
    }

    public static bool IsValidName(string name) => Name().IsMatch(name);

    /// <summary>The placeholder a reference renders as wherever the value must not go: <c>${{ secrets.NAME }}</c>.</summary>
    public static string Placeholder(string name) => "${{ secrets." + name + " }}";

    [GeneratedRegex(@"^\s*secrets\.(?<name>[A-Za-z_][A-Za-z0-9_]{0,127})\s*\z")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,127}\z")]
    private static partial Regex Name();
}
