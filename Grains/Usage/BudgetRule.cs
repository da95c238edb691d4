using System.Globalization;
using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Usage;

/// <summary>
/// When a model call would exceed a budget, so it is not sent: what is used has reached a limit, or the call's
/// <c>maxTokens</c>, when it sets one, could take it past (its prompt is not known before it is sent, its answer's
/// ceiling is). A call is sent while some budget is left: the last one may overshoot by its own size.
/// </summary>
public static class BudgetRule
{
    /// <summary>Why a call with <paramref name="maxTokens"/> would exceed <paramref name="budget"/> after <paramref name="used"/>; null when it may be sent.</summary>
    public static string? Exceeds(ExecutionBudget? budget, ExecutionUsage used, int? maxTokens, LlmPrice? price, string whose = "the execution's")
    {
        if (budget?.Tokens is { } tokens)
        {
            if (used.TotalTokens >= tokens)
            {
                return $"{whose} budget of {tokens} tokens is used up ({used.TotalTokens} used)";
            }

            if (maxTokens is { } most && used.TotalTokens + most > tokens)
            {
                return $"the call's maxTokens of {most} could take {whose} {used.TotalTokens} tokens past the budget of {tokens}";
            }
        }

        if (budget?.Cost is { } cost)
        {
            if (used.Cost >= cost)
            {
                return $"{whose} cost budget of {Text(cost)} is used up ({Text(used.Cost)} used)";
            }

            if (maxTokens is { } most && price is not null && used.Cost + price.Of(0, most) > cost)
            {
                return $"the call's maxTokens of {most} could take {whose} cost of {Text(used.Cost)} past the budget of {Text(cost)}";
            }
        }

        return null;
    }

    private static string Text(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
