using System.Text.RegularExpressions;

namespace AgentOrleans.Grains.Tenants;

/// <summary>
/// How a tenant's resources are told apart: the grain key of a workflow, execution or schedule is its id scoped by the
/// tenant. The <see cref="DefaultTenant"/>'s keys are the bare ids (single-tenant use stays as it was); any other
/// tenant's are <c>{tenant}/{id}</c>. Ids a caller names never hold <see cref="Separator"/>, so no caller's id can
/// reach into another tenant's keys.
/// </summary>
public static partial class TenantKey
{
    public const string DefaultTenant = "default";

    public const char Separator = '/';

    /// <summary>A tenant name: lower-case letters, digits, '_', '-' and '.', starting with a letter or digit, at most 63.</summary>
    public static bool IsValidTenant(string? tenant) => tenant is not null && TenantName().IsMatch(tenant);

    /// <summary>Whether a caller may name this id at all (it holds no separator and is not blank).</summary>
    public static bool IsValidId(string? id) => !string.IsNullOrWhiteSpace(id) && !id.Contains(Separator, StringComparison.Ordinal);

    /// <summary>The grain key of <paramref name="id"/> in <paramref name="tenant"/>; false when the id cannot be named.</summary>
    public static bool TryScope(string tenant, string id, out string key)
    {
        key = IsValidId(id) ? Scope(tenant, id) : "";
        return key.Length > 0;
    }

    /// <summary>The grain key of <paramref name="id"/> in <paramref name="tenant"/>.</summary>
    /// <exception cref="ArgumentException">The id holds the separator or is blank, or the tenant is not a valid name.</exception>
    public static string Scope(string tenant, string id)
    {
        if (!IsValidId(id))
        {
            throw new ArgumentException($"An id is not blank and holds no '{Separator}'.", nameof(id));
        }

        if (!IsValidTenant(tenant))
        {
            throw new ArgumentException("Not a tenant name.", nameof(tenant));
        }

        return tenant == DefaultTenant ? id : string.Concat(tenant, Separator.ToString(), id);
    }

    /// <summary>The tenant and the caller-visible id of a grain key made by <see cref="Scope"/>.</summary>
    public static (string Tenant, string Id) Parse(string key)
    {
        var at = key.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? (DefaultTenant, key) : (key[..at], key[(at + 1)..]);
    }

    /// <summary>The tenant of a grain key made by <see cref="Scope"/>.</summary>
    public static string TenantOf(string key) => Parse(key).Tenant;

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_.-]{0,62}\z")]
    private static partial Regex TenantName();
}
