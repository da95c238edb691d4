using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentOrleans.Grains.Webhooks;

/// <summary>
/// The Standard Webhooks signature: <c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>, keyed by the
/// bytes of the secret <c>whsec_{base64}</c>.
/// </summary>
public static class WebhookSigner
{
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret of 32 random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key bytes of a secret; false when it is not <c>whsec_</c> and 16 to 64 bytes of base64.</summary>
    public static bool TryReadSecret(string secret, out byte[] key)
    {
        key = [];
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var buffer = new byte[secret.Length];
        if (!Convert.TryFromBase64String(secret[SecretPrefix.Length..], buffer, out var written) || written is < 16 or > 64)
        {
            return false;
        }

        key = buffer[..written];
        return true;
    }

    /// <summary>The <c>webhook-signature</c> header's value.</summary>
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        if (!TryReadSecret(secret, out var key))
        {
            throw new ArgumentException("Not a webhook secret.", nameof(secret));
        }

        var signed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>The <c>webhook-id</c> of an execution's event: the same wherever and however often it is handed over.</summary>
    public static string MessageId(string executionKey, long seq) =>
        "msg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{executionKey}\n{seq}"))))[..32];
}
