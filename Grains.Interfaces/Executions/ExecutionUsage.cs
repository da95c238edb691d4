namespace AgentOrleans.Grains.Executions;

/// <summary>
/// What model calls cost an execution (or one node), per model, with totals: its own calls and those of the child
/// executions it waited for (a subworkflow, map items, agent tools that are workflows). Immutable: adding makes a new one.
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.ExecutionUsage")]
public sealed record ExecutionUsage([property: Id(0)] IReadOnlyDictionary<string, ModelUsage> Models)
{
    public static readonly ExecutionUsage None = new(new Dictionary<string, ModelUsage>());

    public long InputTokens => Models.Values.Sum(m => m.InputTokens);

    public long OutputTokens => Models.Values.Sum(m => m.OutputTokens);

    public long TotalTokens => InputTokens + OutputTokens;

    public decimal Cost => Models.Values.Sum(m => m.Cost);

    public int Calls => Models.Values.Sum(m => m.Calls);

    public bool IsEmpty => Models.Count == 0;

    public ExecutionUsage Add(string model, ModelUsage usage)
    {
        var models = new Dictionary<string, ModelUsage>(Models, StringComparer.Ordinal);
        models[model] = models.TryGetValue(model, out var known) ? known.Add(usage) : usage;
        return new ExecutionUsage(models);
    }

    public ExecutionUsage Add(ExecutionUsage other) => other.Models.Aggregate(this, (sum, m) => sum.Add(m.Key, m.Value));
}
