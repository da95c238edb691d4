using System.Security.Cryptography;

namespace AgentOrleans.Grains.Auth;

/// <summary>
/// The configured keys, by hash. A presented key is hashed and compared with every configured hash in constant
/// time, all of them whatever matches, so the answer's timing says nothing about which hash came close.
/// </summary>
public sealed class ApiKeyStore
{
    private readonly Entry[] _entries;

    public ApiKeyStore(AuthOptions options) =>
        _entries = [.. options.Keys.Select(k => new Entry(k.Key, ApiKeys.ParseHash(k.Value.Hash) ?? [], k.Value.Tenant, [.. k.Value.Scopes.Distinct(StringComparer.Ordinal)]))];

    /// <summary>The key that <paramref name="presented"/> is; null for an unknown one.</summary>
    public Entry? Find(ReadOnlySpan<char> presented)
    {
        if (presented.Length > ApiKeys.MaxLength)
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[32];
        ApiKeys.Hash(presented, hash);
        Entry? found = null;
        foreach (var entry in _entries)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, entry.Hash))
            {
                found = entry;
            }
        }

        return found;
    }

    public sealed record Entry(string Name, byte[] Hash, string? Tenant, string[] Scopes);
}
