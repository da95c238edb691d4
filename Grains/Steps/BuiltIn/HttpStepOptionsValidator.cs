using AgentOrleans.Grains.Http;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Steps.BuiltIn;

/// <summary>Refuses to start with an <c>AllowedHosts</c> entry the guard could not match, rather than ignoring it.</summary>
public sealed class HttpStepOptionsValidator : IValidateOptions<HttpStepOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpStepOptions options)
    {
        var failures = options.AllowedHosts
            .Select((entry, i) => AllowedHosts.Problem(entry) is { } problem ? $"{HttpStepOptions.SectionName}:AllowedHosts:{i} {problem}" : null)
            .OfType<string>()
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
