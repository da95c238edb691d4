namespace AgentOrleans.Grains.Usage;

/// <summary>
/// A model call would exceed an execution's budget whose <c>onBudget</c> is <c>wait</c>: the attempt stops here, the
/// run waits for a <c>budget</c> signal (which may raise the budget), then the same attempt runs again.
/// </summary>
public sealed class BudgetWaitException(string reason) : Exception(reason);
