namespace AgentOrleans.Grains.Auth;

/// <summary>
/// JWT bearer tokens (Microsoft.AspNetCore.Authentication.JwtBearer). Section <c>AgentOrleans:Auth:Jwt</c>. The
/// issuer's signing keys come from its OpenID Connect discovery document at <see cref="Authority"/>.
/// </summary>
public sealed class JwtAuthOptions
{
    /// <summary>The issuer's URL (https). None by default: JWT bearer tokens are off.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience a token must name (<c>aud</c>). Required with <see cref="Authority"/>.</summary>
    public string? Audience { get; set; }

    /// <summary>The claim holding the token's scopes, space-separated or one claim each. Default <c>scope</c> (Entra ID: <c>scp</c>).</summary>
    public string ScopeClaim { get; set; } = "scope";

    /// <summary>The claim holding the tenant. Default <c>tenant</c>.</summary>
    public string TenantClaim { get; set; } = "tenant";

    /// <summary>The claim naming the caller, which events record as <c>by</c>. Default <c>sub</c>.</summary>
    public string NameClaim { get; set; } = "sub";

    /// <summary>Whether the discovery document must be fetched over https. Default true.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsOn => !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<string> Problems(string at)
    {
        if (!IsOn)
        {
            yield break;
        }

        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && RequireHttpsMetadata))
        {
            yield return $"{at}:Authority must be an absolute https URL (or set {at}:RequireHttpsMetadata=false)";
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            yield return $"{at}:Audience is required with {at}:Authority: the audience a token must name";
        }

        foreach (var (name, value) in new[] { (nameof(ScopeClaim), ScopeClaim), (nameof(TenantClaim), TenantClaim), (nameof(NameClaim), NameClaim) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return $"{at}:{name} must name a claim";
            }
        }
    }
}
