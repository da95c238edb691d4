using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Workflows;

public static partial class DefinitionReader
{
    private static readonly string[] CacheFields = ["ttl", "key"];

    /// <summary>Longest a cached output may be reused: one year.</summary>
    public static readonly TimeSpan MaxCacheTtl = TimeSpan.FromDays(365);

    /// <summary><c>cache</c>: <c>{"ttl": "1h", "key"?: "${{ … }}"}</c>, the ttl positive and at most a year; the key's expressions are the compiler's.</summary>
    private static NodeCachePolicy? ReadCache(JsonNode? value, string pointer, ProblemList problems)
    {
        if (value is null)
        {
            return null;
        }

        if (value is not JsonObject cache)
        {
            problems.Add(pointer, "must be an object such as {\"ttl\": \"1h\", \"key\": \"${{ input.question }}\"}");
            return null;
        }

        RejectUnknown(cache, pointer, CacheFields, problems);
        var key = OptionalString(cache, "key", pointer, problems);
        var ttl = OptionalDuration(cache, "ttl", pointer, problems);
        if (cache["ttl"] is null)
        {
            problems.Add($"{pointer}/ttl", "is required: how long a stored output is reused, such as 1h");
        }
        else if (ttl is { } t && (t <= TimeSpan.Zero || t > MaxCacheTtl))
        {
            problems.Add($"{pointer}/ttl", "must be positive and at most 365d");
        }

        // Returned even with a bad ttl (the definition is refused anyway) so that the compiler still checks the key.
        return new NodeCachePolicy(ttl ?? TimeSpan.Zero, key);
    }
}
