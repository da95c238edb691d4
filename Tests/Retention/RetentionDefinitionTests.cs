using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Retention;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Tests.Retention;

/// <summary>A definition's <c>retention</c>, and the configured defaults it overrides.</summary>
public sealed class RetentionDefinitionTests
{
    private static WorkflowDefinition? Read(JsonNode retention, ProblemList problems) => DefinitionReader.Read(
        new JsonObject { ["id"] = "w", ["start"] = "a", ["retention"] = retention, ["nodes"] = new JsonObject { ["a"] = new JsonObject { ["type"] = "delay" } } },
        problems);

    [Fact]
    public void EachStatusMayBeOverriddenAndTheRestKeepsTheDefaults()
    {
        var problems = new ProblemList();
        var retention = Read(new JsonObject { ["succeeded"] = "1d", ["failed"] = "90d" }, problems)!.Retention!;

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromDays(1), retention.For(ExecutionStatus.Succeeded));
        Assert.Equal(TimeSpan.FromDays(90), retention.For(ExecutionStatus.TimedOut));
        Assert.Null(retention.For(ExecutionStatus.Cancelled));
        var defaults = new RetentionOptions();
        Assert.Equal(TimeSpan.FromDays(7), defaults.For(ExecutionStatus.Cancelled));
        Assert.Equal(TimeSpan.FromDays(30), defaults.For(ExecutionStatus.Failed));
        Assert.Empty(defaults.Problems());
    }

    [Fact]
    public void BadRetentionIsListedWithPointers()
    {
        var problems = new ProblemList();
        Read(new JsonObject { ["succeeded"] = "forever", ["failed"] = "0s", ["cancelled"] = "4000d", ["paused"] = "1d" }, problems);

        Assert.Equal(
            ["/retention/cancelled", "/retention/failed", "/retention/paused", "/retention/succeeded"],
            problems.Select(p => p.Pointer).Order(StringComparer.Ordinal));
        var notObject = new ProblemList();
        Read("7d", notObject);
        Assert.Equal(["/retention"], notObject.Select(p => p.Pointer));
    }

    [Fact]
    public void BadOptionsAreNamed()
    {
        var options = new RetentionOptions { Failed = TimeSpan.Zero, SweepPeriod = TimeSpan.FromSeconds(5), BatchSize = 0, BatchPause = TimeSpan.FromSeconds(-1) };

        Assert.Equal(4, options.Problems().Count());
    }
}
