namespace AgentOrleans.Grains.Secrets;

/// <summary>
/// Where the values of <c>${{ secrets.NAME }}</c> come from. The built-in one is
/// <see cref="ConfigurationSecretStore"/> (configuration, environment variables, files); a vault
/// provider implements this interface and is registered as a singleton in its place (the last
/// registration wins). Values are asked for only when a request that uses them is sent, and never kept:
/// an implementation may cache them, the engine does not.
/// </summary>
public interface ISecretStore
{
    /// <summary>
    /// The tenant everything runs as until executions carry one (there is no authentication yet):
    /// the publish check and the http step both ask for this tenant's secrets.
    /// </summary>
    const string DefaultTenant = AgentOrleans.Grains.Tenants.TenantKey.DefaultTenant;

    /// <summary>Whether <paramref name="tenant"/> has a secret <paramref name="name"/>: what a publish checks, so it should not need the value.</summary>
    ValueTask<bool> ExistsAsync(string tenant, string name, CancellationToken cancellationToken);

    /// <summary>The value of <paramref name="tenant"/>'s secret <paramref name="name"/>, or null when it has none.</summary>
    /// <exception cref="Exception">The store could not be read (a file missing, a vault unreachable): the attempt fails and may be retried.</exception>
    ValueTask<string?> GetAsync(string tenant, string name, CancellationToken cancellationToken);
}
