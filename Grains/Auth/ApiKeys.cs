using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentOrleans.Grains.Auth;

/// <summary>
/// AgentOrleans API keys: <c>ao_</c> and 43 base64url characters (256 random bits). Only the SHA-256 hash of a key
/// is ever stored; the raw key is shown once, by <c>keys new</c>. A key of that much entropy needs no slow hash.
/// </summary>
public static partial class ApiKeys
{
    public const string Prefix = "ao_";

    /// <summary>Longer presented keys are refused unhashed: a real key is 46 characters.</summary>
    public const int MaxLength = 128;

    public static string New() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key's SHA-256 hash as lowercase hex, the form the configuration holds.</summary>
    public static string HashHex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The 32 bytes of a configured hash (64 hex digits, any case); null when it is not one.</summary>
    public static byte[]? ParseHash(string? hex)
    {
        if (hex is not { Length: 64 } || !hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        return Convert.FromHexString(hex);
    }

    public static bool IsValidName(string name) => KeyName().IsMatch(name);

    /// <summary>The SHA-256 of <paramref name="key"/> into <paramref name="hash"/> (32 bytes), without allocating.</summary>
    public static void Hash(ReadOnlySpan<char> key, Span<byte> hash)
    {
        Span<byte> utf8 = stackalloc byte[MaxLength * 3];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        SHA256.HashData(utf8[..length], hash);
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex KeyName();
}
