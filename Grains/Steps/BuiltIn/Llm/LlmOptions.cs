namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>Model providers of the <c>llm</c> and <c>agent</c> steps. Section <c>AgentOrleans:Llm</c>.</summary>
public sealed class LlmOptions
{
    public const string SectionName = "AgentOrleans:Llm";

    /// <summary>The provider a node uses when its settings name none.</summary>
    public const string DefaultProvider = "default";

    /// <summary>OpenAI-compatible endpoints by name (<c>Providers:default:BaseUrl</c>…). Default: none.</summary>
    public Dictionary<string, LlmProviderOptions> Providers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Longest one model call may take, streaming included; the node's own <c>timeout</c> usually
    /// ends it sooner. Default 10 min.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Prices by model name (<c>Prices:{model}:InputPerMillion</c>, <c>OutputPerMillion</c>): the cost estimates and cost
    /// budgets. A model without one costs 0. Default: none.
    /// </summary>
    public Dictionary<string, Usage.LlmPrice> Prices { get; set; } = new(StringComparer.Ordinal);
}
