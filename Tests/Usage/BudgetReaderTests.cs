using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Usage;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Tests.Usage;

/// <summary>Budgets as written in definitions, start requests and budget signals: every problem at its pointer.</summary>
public sealed class BudgetReaderTests
{
    private static readonly ExecutionUsage Used = ExecutionUsage.None.Add("m", new ModelUsage(60, 40, 1m, 1));

    [Fact]
    public void AValidBudgetIsRead()
    {
        var problems = new ProblemList();

        var budget = BudgetReader.Read(JsonNode.Parse("""{"tokens": 200000, "cost": 2.50, "onBudget": "wait"}"""), "/budget", problems);

        Assert.Empty(problems);
        Assert.Equal(new ExecutionBudget(200000, 2.5m, Wait: true), budget);
    }

    [Theory]
    [InlineData("""{"tokens": 0}""", "/budget/tokens")]
    [InlineData("""{"tokens": -5}""", "/budget/tokens")]
    [InlineData("""{"tokens": 1.5}""", "/budget/tokens")]
    [InlineData("""{"tokens": "many"}""", "/budget/tokens")]
    [InlineData("""{"cost": 0}""", "/budget/cost")]
    [InlineData("""{"cost": "2.50"}""", "/budget/cost")]
    [InlineData("""{"tokens": 5, "onBudget": "pray"}""", "/budget/onBudget")]
    [InlineData("""{"tokens": 5, "tokenz": 5}""", "/budget/tokenz")]
    [InlineData("""{}""", "/budget")]
    [InlineData("""{"onBudget": "wait"}""", "/budget")]
    [InlineData("""5""", "/budget")]
    public void ABadBudgetIsAProblemAtItsPointer(string budget, string pointer)
    {
        var problems = new ProblemList();

        Assert.Null(BudgetReader.Read(JsonNode.Parse(budget), "/budget", problems));

        Assert.Equal([pointer], problems.Select(p => p.Pointer));
    }

    [Fact]
    public void ADefinitionNamesEveryProblemOfItsBudget()
    {
        var problems = new ProblemList();

        DefinitionReader.Read(JsonNode.Parse("""{"id": "w", "start": "a", "nodes": {"a": {"type": "delay", "with": {"duration": "1s"}}}, "budget": {"tokens": -1, "cost": "x", "extra": true}}"""), problems);

        Assert.Equal(["/budget/cost", "/budget/extra", "/budget/tokens"], problems.Select(p => p.Pointer).Order());
    }

    [Fact]
    public void TheSmallerOfEachLimitAppliesAndEitherMayAskToWait()
    {
        Assert.Equal(new ExecutionBudget(10, 5m, Wait: true), BudgetReader.Combine(new ExecutionBudget(100, 5m, Wait: true), new ExecutionBudget(10, null)));
        Assert.Equal(new ExecutionBudget(10, 2m, Wait: true), BudgetReader.Combine(new ExecutionBudget(10, null), new ExecutionBudget(null, 2m, Wait: true)));
        Assert.Equal(new ExecutionBudget(7, null), BudgetReader.Combine(null, new ExecutionBudget(7, null)));
        Assert.Null(BudgetReader.Combine(null, null));
    }

    [Fact]
    public void ABudgetSignalReplacesTheLimitsItGivesAndMustLeaveRoomBeyondWhatIsUsed()
    {
        var current = new ExecutionBudget(100, 2m, Wait: true);
        var problems = new ProblemList();

        Assert.Equal(new ExecutionBudget(400, 2m, Wait: true), BudgetReader.ReadRaise(JsonNode.Parse("""{"tokens": 400}"""), current, Used, problems));
        Assert.Empty(problems);

        Assert.Null(BudgetReader.ReadRaise(JsonNode.Parse("""{"tokens": 100, "cost": 0.5}"""), current, Used, problems));
        Assert.Equal(["/cost", "/tokens"], problems.Select(p => p.Pointer).Order());

        problems.Clear();
        Assert.Null(BudgetReader.ReadRaise(JsonNode.Parse("""{}"""), current, Used, problems));
        Assert.Null(BudgetReader.ReadRaise(null, current, Used, problems));
        Assert.Equal(["", ""], problems.Select(p => p.Pointer));
    }
}
