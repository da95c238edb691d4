namespace AgentOrleans.Grains.Usage;

/// <summary>
/// What one model costs, per million tokens (<c>AgentOrleans:Llm:Prices:{model}:InputPerMillion</c> and
/// <c>OutputPerMillion</c>), in whatever currency the operator chooses: cost estimates and cost budgets use it.
/// </summary>
public sealed class LlmPrice
{
    /// <summary>Price of a million prompt tokens. Default 0.</summary>
    public decimal InputPerMillion { get; set; }

    /// <summary>Price of a million answer tokens. Default 0.</summary>
    public decimal OutputPerMillion { get; set; }

    public decimal Of(long inputTokens, long outputTokens) => ((inputTokens * InputPerMillion) + (outputTokens * OutputPerMillion)) / 1_000_000m;
}
