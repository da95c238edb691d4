using System.Globalization;
using AgentOrleans.Grains.Tenants;
using Microsoft.Extensions.Configuration;

namespace AgentOrleans.Grains.Auth;

/// <summary>
/// Who may call the Api and the silos' HTTP endpoints. Section <c>AgentOrleans:Auth</c>. Authentication is on when
/// at least one key or a JWT authority is configured; then every endpoint but health needs credentials.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "AgentOrleans:Auth";

    /// <summary>
    /// With authentication off, lets the process listen beyond loopback anyway: an explicit choice that every caller
    /// who reaches it may do everything. Default false. It changes nothing once authentication is on.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>API keys by name (the name is what events record as <c>by</c>): only their SHA-256 hashes. None by default.</summary>
    public Dictionary<string, ApiKeyEntry> Keys { get; set; } = [];

    /// <summary>JWT bearer tokens from an OpenID Connect issuer; off unless <see cref="JwtAuthOptions.Authority"/> is set.</summary>
    public JwtAuthOptions Jwt { get; set; } = new();

    public bool IsOn => Keys.Count > 0 || Jwt.IsOn;

    /// <summary>
    /// The section bound, with <c>Scopes</c> also read as one comma- or space-separated value (the form an environment
    /// variable takes: <c>AgentOrleans__Auth__Keys__ci__Scopes=executions:start,executions:read</c>).
    /// </summary>
    public static AuthOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var options = section.Get<AuthOptions>() ?? new AuthOptions();
        foreach (var (name, key) in options.Keys)
        {
            if (key.Scopes.Count == 0 && section[$"Keys:{name}:Scopes"] is { Length: > 0 } list)
            {
                key.Scopes = [.. list.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            }
        }

        return options;
    }

    /// <summary>Every setting that is wrong, each naming its key; the process does not start with any. Never echoes a hash or a key.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (name, key) in Keys)
        {
            var at = $"{SectionName}:Keys:{name}";
            if (!ApiKeys.IsValidName(name))
            {
                problems.Add($"{at}: a key name holds only letters, digits, '_', '-' and '.' (at most 64)");
            }

            if (key.Hash?.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal) == true)
            {
                problems.Add($"{at}:Hash holds a raw API key, not its hash: remove it from the configuration, make a new key with `keys new` and store only the hash it prints");
            }
            else if (ApiKeys.ParseHash(key.Hash) is null)
            {
                problems.Add($"{at}:Hash must be the 64 hexadecimal digits of the key's SHA-256 hash (as `keys new` prints)");
            }

            if (key.Tenant is not null && !TenantKey.IsValidTenant(key.Tenant))
            {
                problems.Add($"{at}:Tenant '{key.Tenant}' is no tenant name: lower-case letters, digits, '_', '-' and '.', starting with a letter or digit, at most 63 (or leave it out for '{TenantKey.DefaultTenant}')");
            }

            if (key.Scopes.Count == 0)
            {
                problems.Add($"{at}:Scopes is empty: a key holds at least one of {string.Join(", ", Scopes.All)}");
            }

            foreach (var scope in key.Scopes.Where(s => !Scopes.All.Contains(s)))
            {
                problems.Add($"{at}:Scopes: '{scope}' is no scope; the scopes are {string.Join(", ", Scopes.All)}");
            }
        }

        problems.AddRange(Jwt.Problems($"{SectionName}:Jwt"));
        return problems;
    }

    /// <summary>What is on, for the start-up log line: never a key or a hash.</summary>
    public string Describe() => string.Join(" and ", new[]
    {
        Keys.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Keys.Count} API key(s)") : null,
        Jwt.IsOn ? $"JWT bearer tokens from {Jwt.Authority}" : null,
    }.Where(s => s is not null));
}

/// <summary>One API key: the SHA-256 hash of the raw key (hex), the tenant it acts for (<c>default</c> when none), the scopes it holds.</summary>
public sealed class ApiKeyEntry
{
    public string? Hash { get; set; }

    public string? Tenant { get; set; }

    public List<string> Scopes { get; set; } = [];
}
