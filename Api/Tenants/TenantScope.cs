using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Tenants;

namespace AgentOrleans.Api.Tenants;

/// <summary>
/// The one way an endpoint turns ids into grain keys and back (docs/security.md, Tenants). A caller names bare ids;
/// <see cref="ScopedKey"/> scopes one by the caller's tenant (<see cref="Caller.Tenant"/>), so another tenant's
/// resource of the same id is simply another grain, which does not exist for this caller: 404, never 403. Everything
/// answered shows <see cref="Shown"/> ids, never a tenant's prefix.
/// </summary>
public static class TenantScope
{
    /// <summary>The grain key of <paramref name="id"/> in the caller's tenant; null when a caller cannot name it (blank or holding '/').</summary>
    public static string? ScopedKey(this HttpContext http, string? id) =>
        id is not null && TenantKey.TryScope(Caller.Tenant(http), id, out var key) ? key : null;

    /// <summary>The id a caller knows a grain key by: the key without its tenant.</summary>
    public static string Shown(string key) => TenantKey.Parse(key).Id;

    /// <summary>Whether <paramref name="key"/> is in the caller's tenant (for what is read from lists of keys).</summary>
    public static bool Owns(this HttpContext http, string key) => TenantKey.TenantOf(key) == Caller.Tenant(http);
}
