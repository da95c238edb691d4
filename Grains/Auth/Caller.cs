using AgentOrleans.Grains.Tenants;
using Microsoft.AspNetCore.Http;

namespace AgentOrleans.Grains.Auth;

/// <summary>Who made a request: its name as events record it (<c>by</c>), and the tenant whose resources it sees.</summary>
public static class Caller
{
    /// <summary>The key's name or the token's subject; null with authentication off.</summary>
    public static string? By(HttpContext http) => http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : null;

    /// <summary>The tenant its key or token names; <see cref="TenantKey.DefaultTenant"/> when none does, or with authentication off.</summary>
    public static string Tenant(HttpContext http) => http.User.FindFirst(AuthClaims.Tenant)?.Value is { Length: > 0 } tenant ? tenant : TenantKey.DefaultTenant;
}
