using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Usage;

/// <summary>
/// The one wire shape of usage, in status and in events: totals, then per model,
/// <c>{inputTokens, outputTokens, totalTokens, cost, calls, models: {"{model}": {inputTokens, outputTokens, totalTokens, cost, calls}}}</c>;
/// and of a budget, <c>{tokens?, cost?, onBudget}</c>.
/// </summary>
public static class UsageJson
{
    public static JsonObject ToJson(ExecutionUsage usage)
    {
        var json = Totals(usage.InputTokens, usage.OutputTokens, usage.Cost, usage.Calls);
        var models = new JsonObject();
        foreach (var (model, used) in usage.Models.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            models[model] = Totals(used.InputTokens, used.OutputTokens, used.Cost, used.Calls);
        }

        json["models"] = models;
        return json;
    }

    public static JsonObject ToJson(ExecutionBudget budget)
    {
        var json = new JsonObject();
        if (budget.Tokens is { } tokens)
        {
            json["tokens"] = tokens;
        }

        if (budget.Cost is { } cost)
        {
            json["cost"] = cost;
        }

        json["onBudget"] = budget.OnBudget;
        return json;
    }

    private static JsonObject Totals(long input, long output, decimal cost, int calls) => new()
    {
        ["inputTokens"] = input,
        ["outputTokens"] = output,
        ["totalTokens"] = input + output,
        ["cost"] = cost,
        ["calls"] = calls,
    };
}
