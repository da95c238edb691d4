using AgentOrleans.Grains.Pools;
using AgentOrleans.Grains.Steps.BuiltIn.Llm;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Tests.Steps.Llm;

public class LlmOptionsValidatorTests
{
    [Fact]
    public void AProviderWithoutABaseUrlOrModelIsRefusedNamingItsKeys()
    {
        var options = new LlmOptions { Providers = { ["cheap"] = new LlmProviderOptions { BaseUrl = "not a url" } } };

        var result = Validator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("AgentOrleans:Llm:Providers:cheap:BaseUrl", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("AgentOrleans:Llm:Providers:cheap:Model", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void NoProvidersAtAllIsValid()
    {
        Assert.True(Validator().Validate(null, new LlmOptions()).Succeeded);
    }

    [Fact]
    public void APoolThatIsNotAClusterPoolIsRefusedNamingTheKeyToSet()
    {
        var provider = new LlmProviderOptions { BaseUrl = "http://127.0.0.1:5081/v1", Model = "sim-fast" };
        var options = new LlmOptions { Providers = { ["bound"] = provider, ["typo"] = new LlmProviderOptions { BaseUrl = provider.BaseUrl, Model = "m", Pool = "llm:opneai" } } };
        provider.Pool = "llm:openai";

        var result = Validator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Single(result.Failures!);
        Assert.Contains("AgentOrleans:Llm:Providers:typo:Pool 'llm:opneai'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("AgentOrleans:Pools:Cluster:llm:opneai", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AProviderWithoutABaseUrlIsValidOnlyWhenAChatClientIsRegisteredUnderItsName()
    {
        var collection = new ServiceCollection();
        collection.AddKeyedChatClient("mine", new ScriptedChatClient());
        using var services = collection.BuildServiceProvider();
        var options = new LlmOptions { Providers = { ["mine"] = new LlmProviderOptions(), ["missing"] = new LlmProviderOptions() } };

        var result = Validator(services.GetRequiredService<IServiceProviderIsKeyedService>()).Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.Contains("AgentOrleans:Llm:Providers:missing:BaseUrl is required", failure, StringComparison.Ordinal);
        Assert.Contains("IChatClient is registered under the key 'missing'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownKindIsRefusedNamingTheKnownOne()
    {
        var options = new LlmOptions { Providers = { ["odd"] = new LlmProviderOptions { Kind = "telepathy", BaseUrl = "http://127.0.0.1:5081/v1", Model = "m" } } };

        var result = Validator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.Contains("AgentOrleans:Llm:Providers:odd:Kind 'telepathy' is not a known kind: 'openai'", failure, StringComparison.Ordinal);
    }

    private static LlmOptionsValidator Validator(IServiceProviderIsKeyedService? services = null)
    {
        var pools = new PoolOptions();
        pools.Cluster["llm:openai"] = 20;
        return new LlmOptionsValidator(Options.Create(pools), services);
    }
}
