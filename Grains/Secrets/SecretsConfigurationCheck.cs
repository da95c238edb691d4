using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Secrets;

/// <summary>
/// The start-time check of <c>AgentOrleans:Secrets</c> (<see cref="ConfigurationSecretStore.Problems"/>):
/// the values themselves are never bound into options, the store reads them at use.
/// </summary>
internal sealed class SecretsConfigurationCheck
{
    public List<string> Problems { get; } = [];
}

/// <summary>Stops the process at start on a bad secret setting, naming each key.</summary>
internal sealed class SecretsConfigurationValidator : IValidateOptions<SecretsConfigurationCheck>
{
    public ValidateOptionsResult Validate(string? name, SecretsConfigurationCheck options) =>
        options.Problems.Count > 0 ? ValidateOptionsResult.Fail(options.Problems) : ValidateOptionsResult.Success;
}
