using System.Text;

namespace AgentOrleans.Client.Http;

/// <summary>Builds <c>?a=1&amp;b=2</c> from the parameters that have a value.</summary>
internal static class QueryString
{
    public static string Of(params (string Name, string? Value)[] parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (value is not null)
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return query.ToString();
    }
}
