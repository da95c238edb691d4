namespace AgentOrleans.Grains.Expressions;

/// <summary>RFC 6901 reference-token escaping.</summary>
public static class JsonPointer
{
    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
