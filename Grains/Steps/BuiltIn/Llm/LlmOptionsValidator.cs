using AgentOrleans.Grains.Pools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>Stops the process at start when a provider is half-configured, naming its keys.</summary>
internal sealed class LlmOptionsValidator(IOptions<PoolOptions> pools, IServiceProviderIsKeyedService? services = null) : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        var failures = new List<string>();
        foreach (var (provider, settings) in options.Providers)
        {
            var key = $"{LlmOptions.SectionName}:Providers:{provider}";
            var registered = services?.IsKeyedService(typeof(IChatClient), provider) == true;
            if (!string.Equals(settings.Kind, LlmProviderOptions.OpenAiKind, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{key}:Kind '{settings.Kind}' is not a known kind: '{LlmProviderOptions.OpenAiKind}' (OpenAI-compatible); for another, register an IChatClient under the key '{provider}' and leave BaseUrl empty");
            }

            if (string.IsNullOrEmpty(settings.BaseUrl))
            {
                if (!registered)
                {
                    failures.Add($"{key}:BaseUrl is required (an absolute http or https URL, such as https://api.openai.com/v1) unless an IChatClient is registered under the key '{provider}'");
                }
            }
            else
            {
                if (!Uri.TryCreate(settings.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    failures.Add($"{key}:BaseUrl must be an absolute http or https URL, such as https://api.openai.com/v1");
                }

                if (string.IsNullOrWhiteSpace(settings.Model))
                {
                    failures.Add($"{key}:Model is required: the model used when a node names none");
                }
            }

            // A misspelt pool would silently limit nothing.
            if (settings.Pool is { } pool && !pools.Value.Cluster.ContainsKey(pool))
            {
                failures.Add($"{key}:Pool '{pool}' is not a cluster pool: configure {PoolOptions.SectionName}:Cluster:{pool}");
            }
        }

        failures.AddRange(options.Providers.Where(p => p.Value.TokensPerMinute < 0)
            .Select(p => $"{LlmOptions.SectionName}:Providers:{p.Key}:TokensPerMinute must be 0 (not limited) or positive"));
        failures.AddRange(options.Prices.Where(p => p.Value.InputPerMillion < 0 || p.Value.OutputPerMillion < 0)
            .Select(p => $"{LlmOptions.SectionName}:Prices:{p.Key}: InputPerMillion and OutputPerMillion must not be negative"));

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{LlmOptions.SectionName}:RequestTimeout must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
