namespace AgentOrleans.Grains.Auth;

/// <summary>
/// The claims every authenticated caller carries, whichever way it came in (API key or JWT): the name is the
/// identity's <see cref="System.Security.Claims.ClaimsIdentity.Name"/> (key name or token subject), which events record as <c>by</c>.
/// </summary>
public static class AuthClaims
{
    /// <summary>One claim per scope the caller holds.</summary>
    public const string Scope = "agentorleans:scope";

    /// <summary>The caller's tenant, when its key or token names one.</summary>
    public const string Tenant = "agentorleans:tenant";

    /// <summary>The caller's name: the key's name or the token's subject.</summary>
    public const string Name = "agentorleans:name";
}
