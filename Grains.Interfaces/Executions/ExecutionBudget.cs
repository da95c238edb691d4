namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The most an execution may spend on model calls: <see cref="Tokens"/> (input and output together) and
/// <see cref="Cost"/> (estimated from the configured prices); null is unlimited. A call that would exceed it is not
/// sent: the node fails with <c>BudgetExceeded</c>, or, with <see cref="Wait"/>, the run waits for a <c>budget</c> signal.
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ExecutionBudget")]
public sealed record ExecutionBudget(
    [property: Id(0)] long? Tokens,
    [property: Id(1)] decimal? Cost,
    [property: Id(2)] bool Wait = false)
{
    /// <summary>The wire name of <see cref="Wait"/>: <c>wait</c>, or <c>fail</c> (the default).</summary>
    public string OnBudget => Wait ? "wait" : "fail";

    /// <summary>What is left of this budget after <paramref name="used"/>: the budget a child execution starts with.</summary>
    public ExecutionBudget Remaining(ExecutionUsage used) => this with
    {
        Tokens = Tokens is { } tokens ? Math.Max(0, tokens - used.TotalTokens) : null,
        Cost = Cost is { } cost ? Math.Max(0m, cost - used.Cost) : null,
    };
}
