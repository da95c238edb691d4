using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Tenants;

public static class TenantQuotaHosting
{
    /// <summary>Reads <c>AgentOrleans:Tenants</c>; a bad setting stops the start, naming its key. Safe to call twice (Api and co-hosted silo).</summary>
    public static IServiceCollection AddTenantQuotas(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TenantQuotaOptions>().Configure(o => TenantQuotaOptions.Read(configuration, o)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TenantQuotaOptions>, TenantQuotaOptionsValidator>());
        return services;
    }
}

/// <summary>Stops the process at start on a bad tenant limit, naming each one by its key.</summary>
internal sealed class TenantQuotaOptionsValidator : IValidateOptions<TenantQuotaOptions>
{
    public ValidateOptionsResult Validate(string? name, TenantQuotaOptions options) =>
        options.Problems.Count > 0 ? ValidateOptionsResult.Fail(options.Problems) : ValidateOptionsResult.Success;
}
