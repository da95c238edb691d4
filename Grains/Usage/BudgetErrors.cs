using AgentOrleans.Grains.Steps;

namespace AgentOrleans.Grains.Usage;

/// <summary>The failure of a call that would exceed a budget: <c>BudgetExceeded</c>, never retried (a retry would exceed it too).</summary>
public static class BudgetErrors
{
    public const string Type = "BudgetExceeded";

    /// <summary>The name of the signal that lets a run waiting for budget go on, and may raise it.</summary>
    public const string Signal = "budget";

    public static StepException Exceeded(string reason) => new(Type, $"the model call was not sent: {reason}", retryable: false);
}
