using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Usage;

/// <summary>
/// Reads a <c>budget</c> — <c>{"tokens"?: N, "cost"?: X, "onBudget"?: "fail" | "wait"}</c>, in a start request or a
/// definition — and the payload of a <c>budget</c> signal (<c>{"tokens"?, "cost"?}</c>, at least one), naming every
/// problem with its pointer. Each limit is a positive number, tokens a whole one.
/// </summary>
public static class BudgetReader
{
    private static readonly string[] Fields = ["tokens", "cost", "onBudget"];
    private static readonly string[] SignalFields = ["tokens", "cost"];

    /// <summary>The budget at <paramref name="pointer"/>; null when absent or invalid (then in <paramref name="problems"/>).</summary>
    public static ExecutionBudget? Read(JsonNode? node, string pointer, ProblemList problems)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject budget)
        {
            problems.Add(pointer, "must be an object such as {\"tokens\": 200000, \"cost\": 2.50, \"onBudget\": \"fail\"}");
            return null;
        }

        var before = problems.Count;
        Unknown(budget, pointer, Fields, problems);
        var tokens = Tokens(budget["tokens"], $"{pointer}/tokens", problems);
        var cost = Cost(budget["cost"], $"{pointer}/cost", problems);
        var wait = false;
        if (budget["onBudget"] is { } onBudget)
        {
            var text = onBudget is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (text is not ("fail" or "wait"))
            {
                problems.Add($"{pointer}/onBudget", "must be \"fail\" (the node fails with BudgetExceeded, the default) or \"wait\" (the run waits for a 'budget' signal)");
            }

            wait = text == "wait";
        }

        if (problems.Count == before && tokens is null && cost is null)
        {
            problems.Add(pointer, "must set \"tokens\" or \"cost\", or both");
        }

        return problems.Count == before ? new ExecutionBudget(tokens, cost, wait) : null;
    }

    /// <summary>
    /// A <c>budget</c> signal's payload applied to <paramref name="current"/>: each limit it gives replaces the one in force,
    /// and must leave room beyond <paramref name="used"/>, else the run would wait again at once.
    /// </summary>
    public static ExecutionBudget? ReadRaise(JsonNode? payload, ExecutionBudget current, ExecutionUsage used, ProblemList problems)
    {
        if (payload is not JsonObject raise)
        {
            problems.Add("", "must be an object such as {\"tokens\": 400000} or {\"cost\": 5}: the new limits");
            return null;
        }

        Unknown(raise, "", SignalFields, problems);
        var tokens = Tokens(raise["tokens"], "/tokens", problems);
        var cost = Cost(raise["cost"], "/cost", problems);
        if (problems.Count > 0)
        {
            return null;
        }

        if (tokens is null && cost is null)
        {
            problems.Add("", "must set \"tokens\" or \"cost\", or both: the new limits");
            return null;
        }

        var raised = current with { Tokens = tokens ?? current.Tokens, Cost = cost ?? current.Cost };
        if (raised.Tokens is { } t && t <= used.TotalTokens)
        {
            problems.Add(tokens is null ? "" : "/tokens", $"the token budget of {t} is used up ({used.TotalTokens} used): raise it above that");
        }

        if (raised.Cost is { } c && c <= used.Cost)
        {
            problems.Add(cost is null ? "" : "/cost", $"the cost budget of {c} is used up ({used.Cost} used): raise it above that");
        }

        return problems.Count == 0 ? raised : null;
    }

    /// <summary>The smaller of each limit: a caller may tighten the definition's budget, not lift it. The run waits (<c>onBudget: wait</c>) when either asks for it.</summary>
    public static ExecutionBudget? Combine(ExecutionBudget? definition, ExecutionBudget? start) => (definition, start) switch
    {
        (null, _) => start,
        (_, null) => definition,
        _ => new ExecutionBudget(Smaller(definition.Tokens, start.Tokens), Smaller(definition.Cost, start.Cost), definition.Wait || start.Wait),
    };

    private static T? Smaller<T>(T? a, T? b) where T : struct, IComparable<T> =>
        a is null ? b : b is null ? a : a.Value.CompareTo(b.Value) <= 0 ? a : b;

    private static long? Tokens(JsonNode? node, string pointer, ProblemList problems)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var tokens) && tokens > 0)
        {
            return tokens;
        }

        problems.Add(pointer, "must be a positive whole number of tokens (input and output together)");
        return null;
    }

    private static decimal? Cost(JsonNode? node, string pointer, ProblemList problems)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var cost) && cost > 0)
        {
            return cost;
        }

        problems.Add(pointer, "must be a positive number: the most the model calls may cost, at the configured prices (AgentOrleans:Llm:Prices)");
        return null;
    }

    private static void Unknown(JsonObject obj, string pointer, string[] known, ProblemList problems)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                problems.Add($"{pointer}/{JsonPointer.Escape(key)}", $"unknown field '{key}'; expected one of: {string.Join(", ", known)}");
            }
        }
    }
}
