using Microsoft.Extensions.Primitives;

namespace AgentOrleans.Grains.Auth;

/// <summary>Reads <c>Authorization: Bearer &lt;token&gt;</c> (RFC 6750): one header, the scheme in any case, a token with no spaces.</summary>
public static class BearerHeader
{
    public enum Shape
    {
        /// <summary>No Authorization header.</summary>
        Absent,

        /// <summary>A bearer token, in the out parameter.</summary>
        Token,

        /// <summary>Anything else: several headers, another scheme, no token, spaces within.</summary>
        Malformed,
    }

    public static Shape Read(StringValues headers, out string token)
    {
        token = "";
        if (headers.Count == 0)
        {
            return Shape.Absent;
        }

        if (headers.Count > 1 || headers[0] is not { } value)
        {
            return Shape.Malformed;
        }

        var text = value.AsSpan().Trim(' ');
        if (text.Length < 8 || !text[..7].Equals("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Shape.Malformed;
        }

        var candidate = text[7..].TrimStart(' ');
        if (candidate.IsEmpty || candidate.ContainsAny(" \t\r\n"))
        {
            return Shape.Malformed;
        }

        token = candidate.ToString();
        return Shape.Token;
    }

}
