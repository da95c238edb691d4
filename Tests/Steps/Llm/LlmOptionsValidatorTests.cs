using AgentOrleans.Grains.Steps.BuiltIn.Llm;

namespace AgentOrleans.Tests.Steps.Llm;

public class LlmOptionsValidatorTests
{
    [Fact]
    public void AProviderWithoutABaseUrlOrModelIsRefusedNamingItsKeys()
    {
        var options = new LlmOptions { Providers = { ["cheap"] = new LlmProviderOptions { BaseUrl = "not a url" } } };

        var result = new LlmOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("AgentOrleans:Llm:Providers:cheap:BaseUrl", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("AgentOrleans:Llm:Providers:cheap:Model", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void NoProvidersAtAllIsValid()
    {
        Assert.True(new LlmOptionsValidator().Validate(null, new LlmOptions()).Succeeded);
    }
}
