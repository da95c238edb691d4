using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Pools;

/// <summary>Stops the process at start on a bad pool setting, naming each one.</summary>
internal sealed class PoolOptionsValidator : IValidateOptions<PoolOptions>
{
    public ValidateOptionsResult Validate(string? name, PoolOptions options) =>
        options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
