using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Usage;

namespace AgentOrleans.Tests.Usage;

/// <summary>When a call would exceed a budget: used reaches a limit, or the call's maxTokens could take it past.</summary>
public sealed class BudgetRuleTests
{
    private static readonly ExecutionUsage Used = ExecutionUsage.None.Add("m", new ModelUsage(60, 30, 0.5m, 2));
    private static readonly LlmPrice Price = new() { InputPerMillion = 1_000_000, OutputPerMillion = 10 };

    [Fact]
    public void ACallIsSentWhileBudgetIsLeftAndRefusedOnceItIsUsedUp()
    {
        Assert.Null(BudgetRule.Exceeds(null, Used, null, null));
        Assert.Null(BudgetRule.Exceeds(new ExecutionBudget(91, 0.6m), Used, null, Price));
        Assert.Contains("90 used", BudgetRule.Exceeds(new ExecutionBudget(90, null), Used, null, null), StringComparison.Ordinal);
        Assert.Contains("cost budget of 0.5", BudgetRule.Exceeds(new ExecutionBudget(null, 0.5m), Used, null, Price), StringComparison.Ordinal);
    }

    [Fact]
    public void ACallsMaxTokensThatCouldTakeItPastTheBudgetIsRefused()
    {
        Assert.Null(BudgetRule.Exceeds(new ExecutionBudget(100, null), Used, maxTokens: 10, null));
        Assert.Contains("maxTokens of 11", BudgetRule.Exceeds(new ExecutionBudget(100, null), Used, maxTokens: 11, null), StringComparison.Ordinal);

        // 100 answer tokens at 10 per million: 0.001 more.
        Assert.Null(BudgetRule.Exceeds(new ExecutionBudget(null, 0.501m), Used, maxTokens: 100, Price));
        Assert.NotNull(BudgetRule.Exceeds(new ExecutionBudget(null, 0.5009m), Used, maxTokens: 100, Price));
    }
}
