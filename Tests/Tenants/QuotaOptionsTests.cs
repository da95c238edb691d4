using AgentOrleans.Grains.Tenants;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Tests.Tenants;

/// <summary><c>AgentOrleans:Tenants</c>: defaults, a tenant's own values over them, and each bad setting named by its key.</summary>
public sealed class QuotaOptionsTests
{
    private static TenantQuotaOptions Read(Dictionary<string, string?> settings)
    {
        var options = new TenantQuotaOptions();
        TenantQuotaOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), options);
        return options;
    }

    [Fact]
    public void WithNothingConfiguredEveryTenantIsUnlimitedWithWeightOne()
    {
        var quota = Read([]).For("anyone");

        Assert.Equal(new TenantQuotas(), quota);
        Assert.Equal((0, 0.0, 0, 0, 1), (quota.MaxActiveExecutions, quota.StartsPerSecond, quota.MaxDefinitionBytes, quota.MaxNodes, quota.PoolWeight));
    }

    [Fact]
    public void ATenantsOwnValuesOverrideTheDefaultsAndTheRestAreInherited()
    {
        var options = Read(new()
        {
            ["AgentOrleans:Tenants:Defaults:MaxActiveExecutions"] = "100",
            ["AgentOrleans:Tenants:Defaults:StartsPerSecond"] = "2.5",
            ["AgentOrleans:Tenants:acme:MaxActiveExecutions"] = "10",
            ["AgentOrleans:Tenants:acme:PoolWeight"] = "4",
        });

        Assert.Empty(options.Problems);
        Assert.Equal((10, 2.5, 4), (options.For("acme").MaxActiveExecutions, options.For("acme").StartsPerSecond, options.For("acme").PoolWeight));
        Assert.Equal("AgentOrleans:Tenants:acme", options.For("acme").Section);
        Assert.Equal((100, 1), (options.For("other").MaxActiveExecutions, options.For("other").PoolWeight));
        Assert.Equal("AgentOrleans:Tenants:Defaults", options.For("other").Section);
        Assert.Equal(3, options.For("other").Burst);
    }

    [Fact]
    public void EveryBadSettingIsNamedByItsKeyAndStopsTheStart()
    {
        var settings = new Dictionary<string, string?>
        {
            ["AgentOrleans:Tenants:Defaults:MaxNodes"] = "-1",
            ["AgentOrleans:Tenants:acme:StartsPerSecond"] = "fast",
            ["AgentOrleans:Tenants:acme:PoolWeight"] = "0",
            ["AgentOrleans:Tenants:acme:MaxActive"] = "3",
            ["AgentOrleans:Tenants:Not A Tenant:MaxNodes"] = "3",
        };

        var problems = Read(settings).Problems;
        using var services = new ServiceCollection().AddTenantQuotas(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TenantQuotaOptions>>().Value);

        Assert.Equal(5, problems.Count);
        foreach (var key in new[] { "Defaults:MaxNodes", "acme:StartsPerSecond", "acme:PoolWeight", "acme:MaxActive", "Not A Tenant" })
        {
            Assert.Contains(problems, p => p.StartsWith($"AgentOrleans:Tenants:{key}", StringComparison.Ordinal));
            Assert.Contains($"AgentOrleans:Tenants:{key}", failure.Message, StringComparison.Ordinal);
        }
    }
}
