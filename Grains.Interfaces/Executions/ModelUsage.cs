namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Tokens and estimated cost of model calls to one model: <see cref="InputTokens"/> (the prompt),
/// <see cref="OutputTokens"/> (the answer), <see cref="Cost"/> from the configured prices (0 for a model without one)
/// and the number of <see cref="Calls"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ModelUsage")]
public sealed record ModelUsage(
    [property: Id(0)] long InputTokens,
    [property: Id(1)] long OutputTokens,
    [property: Id(2)] decimal Cost,
    [property: Id(3)] int Calls)
{
    public static readonly ModelUsage Zero = new(0, 0, 0m, 0);

    public long TotalTokens => InputTokens + OutputTokens;

    public ModelUsage Add(ModelUsage other) => new(InputTokens + other.InputTokens, OutputTokens + other.OutputTokens, Cost + other.Cost, Calls + other.Calls);
}
