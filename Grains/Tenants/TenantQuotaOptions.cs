using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace AgentOrleans.Grains.Tenants;

/// <summary>
/// Quotas per tenant. Section <c>AgentOrleans:Tenants</c>: <c>Defaults:{limit}</c> for every tenant, and
/// <c>{tenant}:{limit}</c> overriding a default for one tenant (the limits are <see cref="TenantQuotas"/>' properties).
/// Read by hand, as pool names are: the tenant names are keys, and each bad value is named by its full key.
/// </summary>
public sealed class TenantQuotaOptions
{
    public const string SectionName = "AgentOrleans:Tenants";

    public const string DefaultsKey = "Defaults";

    private static readonly string[] Limits =
        [nameof(TenantQuotas.MaxActiveExecutions), nameof(TenantQuotas.StartsPerSecond), nameof(TenantQuotas.StartBurst), nameof(TenantQuotas.MaxDefinitionBytes), nameof(TenantQuotas.MaxNodes), nameof(TenantQuotas.PoolWeight), nameof(TenantQuotas.DailyTokens), nameof(TenantQuotas.DailyCost)];

    public TenantQuotas Defaults { get; set; } = new();

    public Dictionary<string, TenantQuotas> Tenants { get; } = new(StringComparer.Ordinal);

    /// <summary>Each bad setting, by its full key.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Whether any tenant's active executions are bounded (its starts then ask admission).</summary>
    public bool BoundsActive => Defaults.MaxActiveExecutions > 0 || Tenants.Values.Any(t => t.MaxActiveExecutions > 0);

    public bool LimitsStarts => Defaults.StartsPerSecond > 0 || Tenants.Values.Any(t => t.StartsPerSecond > 0);

    public TenantQuotas For(string tenant) => Tenants.GetValueOrDefault(tenant) ?? Defaults;

    public static void Read(IConfiguration configuration, TenantQuotaOptions options)
    {
        options.Problems.Clear();
        options.Tenants.Clear();
        var section = configuration.GetSection(SectionName);
        options.Defaults = Apply(new TenantQuotas(), section.GetSection(DefaultsKey), options.Problems);
        foreach (var tenant in section.GetChildren().Where(c => !string.Equals(c.Key, DefaultsKey, StringComparison.OrdinalIgnoreCase)))
        {
            if (!TenantKey.IsValidTenant(tenant.Key))
            {
                options.Problems.Add($"{tenant.Path}: '{tenant.Key}' is not a tenant name (lower-case letters, digits, '_', '-' and '.', starting with a letter or digit, at most 63)");
                continue;
            }

            options.Tenants[tenant.Key] = Apply(options.Defaults with { Section = tenant.Path }, tenant, options.Problems);
        }
    }

    private static TenantQuotas Apply(TenantQuotas quotas, IConfigurationSection section, List<string> problems)
    {
        foreach (var setting in section.GetChildren())
        {
            var limit = Limits.FirstOrDefault(l => string.Equals(l, setting.Key, StringComparison.OrdinalIgnoreCase));
            if (limit is null)
            {
                problems.Add($"{setting.Path}: not a tenant limit; the limits are {string.Join(", ", Limits)}");
                continue;
            }

            if (limit == nameof(TenantQuotas.StartsPerSecond))
            {
                if (double.TryParse(setting.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate >= 0 && double.IsFinite(rate))
                {
                    quotas = quotas with { StartsPerSecond = rate };
                }
                else
                {
                    problems.Add($"{setting.Path}: must be 0 (unlimited) or a positive number of starts a second, was '{setting.Value}'");
                }

                continue;
            }

            if (limit is nameof(TenantQuotas.DailyTokens) or nameof(TenantQuotas.DailyCost))
            {
                if (decimal.TryParse(setting.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var daily) && daily >= 0
                    && (limit == nameof(TenantQuotas.DailyCost) || decimal.IsInteger(daily)))
                {
                    quotas = limit == nameof(TenantQuotas.DailyCost) ? quotas with { DailyCost = daily } : quotas with { DailyTokens = (long)daily };
                }
                else
                {
                    problems.Add($"{setting.Path}: must be 0 (unlimited) or a positive {(limit == nameof(TenantQuotas.DailyCost) ? "number" : "whole number")}, was '{setting.Value}'");
                }

                continue;
            }

            var least = limit == nameof(TenantQuotas.PoolWeight) ? 1 : 0;
            if (!int.TryParse(setting.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < least)
            {
                problems.Add(least == 1
                    ? $"{setting.Path}: must be a whole number of 1 or more, was '{setting.Value}'"
                    : $"{setting.Path}: must be 0 (unlimited) or a positive whole number, was '{setting.Value}'");
                continue;
            }

            quotas = limit switch
            {
                nameof(TenantQuotas.MaxActiveExecutions) => quotas with { MaxActiveExecutions = value },
                nameof(TenantQuotas.StartBurst) => quotas with { StartBurst = value },
                nameof(TenantQuotas.MaxDefinitionBytes) => quotas with { MaxDefinitionBytes = value },
                nameof(TenantQuotas.MaxNodes) => quotas with { MaxNodes = value },
                _ => quotas with { PoolWeight = value },
            };
        }

        return quotas;
    }
}
