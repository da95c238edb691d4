namespace AgentOrleans.Grains.Http;

/// <summary>
/// A URL as messages may name it: no query, no fragment, no user info. A query string often carries a
/// token (<c>?api_key=…</c>), user info a password; scheme, host and path say which call it was.
/// Works on text that is not a valid URL too (one with <c>${{ }}</c> placeholders in it).
/// </summary>
public static class RedactedUrl
{
    public static string Of(string url)
    {
        var end = url.AsSpan().IndexOfAny('?', '#');
        var text = end < 0 ? url : url[..end];
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return text;
        }

        var start = scheme + 3;
        var slash = text.IndexOf('/', start);
        var authority = text.AsSpan(start, (slash < 0 ? text.Length : slash) - start);
        var at = authority.LastIndexOf('@');
        return at < 0 ? text : string.Concat(text.AsSpan(0, start), text.AsSpan(start + at + 1));
    }
}
