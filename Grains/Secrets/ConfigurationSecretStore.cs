using Microsoft.Extensions.Configuration;

namespace AgentOrleans.Grains.Secrets;

/// <summary>
/// Secrets from configuration, section <c>AgentOrleans:Secrets</c>, read at each use (so a reloaded
/// setting or a rotated file is picked up without a restart):
/// <list type="bullet">
/// <item><c>AgentOrleans:Secrets:{name}</c>: the value (<c>appsettings.json</c>, or the environment as <c>AgentOrleans__Secrets__{name}</c>);</item>
/// <item><c>AgentOrleans:Secrets:{name}:File</c>: a file holding the value, read when it is used, one trailing line break dropped (Kubernetes and Docker secrets);</item>
/// <item><c>AgentOrleans:Secrets:Tenants:{tenant}:{name}</c> (or <c>…:{name}:File</c>): a tenant's own, which it sees before the shared ones above.</item>
/// </list>
/// Configuration keys ignore case, so names do too. <c>Tenants</c> is not a secret name.
/// </summary>
public sealed class ConfigurationSecretStore(IConfiguration configuration) : ISecretStore
{
    public const string SectionName = "AgentOrleans:Secrets";
    public const string TenantsKey = "Tenants";
    public const string FileKey = "File";

    public ValueTask<bool> ExistsAsync(string tenant, string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Find(tenant, name) is not null);

    public async ValueTask<string?> GetAsync(string tenant, string name, CancellationToken cancellationToken)
    {
        if (Find(tenant, name) is not { } section)
        {
            return null;
        }

        if (section[FileKey] is not { } path)
        {
            return section.Value;
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken);
        return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
            : text.EndsWith('\n') ? text[..^1]
            : text;
    }

    /// <summary>
    /// What is wrong with the section, each naming its key: a name no reference can spell, an empty
    /// value, both a value and a file, or keys the store does not read. Checked at start.
    /// </summary>
    public static IEnumerable<string> Problems(IConfiguration configuration) => SectionProblems(configuration.GetSection(SectionName), tenants: true);

    private static IEnumerable<string> SectionProblems(IConfigurationSection section, bool tenants)
    {
        foreach (var child in section.GetChildren())
        {
            var key = child.Path;
            if (tenants && string.Equals(child.Key, TenantsKey, StringComparison.OrdinalIgnoreCase))
            {
                if (child.Value is { Length: > 0 })
                {
                    yield return $"{key}: 'Tenants' holds tenants' secrets ({key}:{{tenant}}:{{name}}), it cannot be a secret";
                }

                foreach (var tenant in child.GetChildren())
                {
                    foreach (var problem in SectionProblems(tenant, tenants: false))
                    {
                        yield return problem;
                    }
                }

                continue;
            }

            if (!SecretReference.IsValidName(child.Key))
            {
                yield return $"{key}: a secret name is a letter or '_' then letters, digits and '_' (at most 128), as ${{{{ secrets.NAME }}}} spells it";
            }

            var file = child.GetSection(FileKey);
            var others = child.GetChildren().Where(c => !string.Equals(c.Key, FileKey, StringComparison.OrdinalIgnoreCase)).Select(c => c.Key).ToList();
            if (others.Count > 0)
            {
                yield return $"{key}: unknown setting(s) {string.Join(", ", others)}; a secret is a value or '{FileKey}', a path to a file holding it";
            }
            else if (file.Value is not null && child.Value is { Length: > 0 })
            {
                yield return $"{key}: give the value or '{FileKey}', not both";
            }
            else if (file.Value is { Length: 0 } || (file.Value is null && child.Value is { Length: 0 }))
            {
                yield return $"{key}: is empty";
            }
        }
    }

    /// <summary>The section defining <paramref name="name"/> for <paramref name="tenant"/>: the tenant's own, else the shared one.</summary>
    private IConfigurationSection? Find(string tenant, string name)
    {
        if (!SecretReference.IsValidName(name) || string.Equals(name, TenantsKey, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var root = configuration.GetSection(SectionName);
        // A ':' would walk into another tenant's section.
        var own = tenant.Contains(':', StringComparison.Ordinal) ? null : root.GetSection(TenantsKey).GetSection(tenant).GetSection(name);
        var shared = root.GetSection(name);
        return own is not null && Defined(own) ? own : Defined(shared) ? shared : null;
    }

    private static bool Defined(IConfigurationSection section) => section.Value is not null || section[FileKey] is not null;
}
