using AgentOrleans.Grains.Pools;
using AgentOrleans.Grains.Steps.BuiltIn.Llm;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Usage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Tests.Usage;

/// <summary>The settings of usage and budgets: prices, tokens per minute and daily budgets, each bad value named by its key.</summary>
public sealed class UsageOptionsTests
{
    [Fact]
    public void TenantDailyBudgetsAreReadAndABadOneIsNamedByItsKey()
    {
        var options = new TenantQuotaOptions();
        TenantQuotaOptions.Read(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AgentOrleans:Tenants:Defaults:DailyCost"] = "12.5",
                ["AgentOrleans:Tenants:acme:DailyTokens"] = "1000000",
                ["AgentOrleans:Tenants:bad:DailyTokens"] = "1.5",
                ["AgentOrleans:Tenants:worse:DailyCost"] = "-1",
            }).Build(),
            options);

        Assert.Equal((1_000_000L, 12.5m), (options.For("acme").DailyTokens, options.For("acme").DailyCost));
        Assert.Equal((0L, 12.5m), (options.For("anyone").DailyTokens, options.For("anyone").DailyCost));
        Assert.Equal(2, options.Problems.Count);
        Assert.Contains(options.Problems, p => p.StartsWith("AgentOrleans:Tenants:bad:DailyTokens:", StringComparison.Ordinal));
        Assert.Contains(options.Problems, p => p.StartsWith("AgentOrleans:Tenants:worse:DailyCost:", StringComparison.Ordinal));
    }

    [Fact]
    public void ANegativePriceOrTokensPerMinuteStopsTheStartNamingItsKey()
    {
        var options = new LlmOptions
        {
            Providers = { ["fast"] = new LlmProviderOptions { BaseUrl = "http://127.0.0.1:5081/v1", Model = "m", TokensPerMinute = -1 } },
            Prices = { ["m"] = new LlmPrice { InputPerMillion = -0.5m } },
        };

        var result = new LlmOptionsValidator(Options.Create(new PoolOptions())).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains("AgentOrleans:Llm:Providers:fast:TokensPerMinute", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("AgentOrleans:Llm:Prices:m", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void PricesAreBoundFromConfigurationAndCostIsPerMillionTokens()
    {
        var options = new LlmOptions();
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Prices:gpt-4o-mini:InputPerMillion"] = "0.15",
            ["Prices:gpt-4o-mini:OutputPerMillion"] = "0.60",
        }).Build().Bind(options);

        Assert.Equal(0.15m + 0.3m, options.Prices["gpt-4o-mini"].Of(1_000_000, 500_000));
    }
}
