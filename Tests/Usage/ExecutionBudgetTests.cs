using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Usage;

/// <summary>Budgets per execution and per tenant day: a call that would exceed one is not sent; the run fails, or waits for a <c>budget</c> signal.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ExecutionBudgetTests(ClusterFixture fixture)
{
    private readonly UsageRuns _runs = new(fixture.Grains);

    [Fact]
    public async Task ARunawayAgentStopsWithBudgetExceededNotRetriedAndTheCallOverBudgetIsNotSent()
    {
        var marker = NewId("m");
        var workflowId = await _runs.PublishAsync(
            new JsonObject { ["agent"] = UsageRuns.Agent($"loop forever {marker}", model: "sim-loop", maxTurns: 100, retry: new JsonObject { ["maxAttempts"] = 3, ["initialDelay"] = "10ms" }) },
            budget: new JsonObject { ["tokens"] = 150 });

        var execution = await _runs.StartAsync(workflowId);
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal("BudgetExceeded", done.Error?.Type);
        var events = await EventsAsync(execution);
        Assert.DoesNotContain(events, e => e.Type == EventTypes.NodeRetrying);
        Assert.Single(events, e => e.Type == EventTypes.NodeFailed);

        // Every call the simulator answered is counted, and the one refused never reached it.
        var requests = fixture.Simulator.RequestsWith(marker);
        Assert.Equal(requests.Count, done.Usage.Calls);
        Assert.All(requests, r => Assert.True(r.Completed));
        Assert.True(done.Usage.TotalTokens >= 150, $"expected the budget used up when the run stopped; used {done.Usage.TotalTokens}");
        Assert.InRange(done.Usage.Calls, 2, 99);
    }

    [Fact]
    public async Task WithOnBudgetWaitTheRunWaitsForABudgetSignalThatRaisesItThenFinishes()
    {
        var marker = NewId("m");
        var workflowId = await _runs.PublishAsync(
            new JsonObject { ["first"] = UsageRuns.Llm($"first words {marker}"), ["second"] = UsageRuns.Llm($"second words {marker}") },
            budget: new JsonObject { ["tokens"] = 5, ["onBudget"] = "wait" });

        var execution = await _runs.StartAsync(workflowId);
        var waiting = await UsageRuns.WaitingForAsync(execution, "budget");

        Assert.Equal("second", waiting.CurrentNodeId);
        Assert.Single(fixture.Simulator.RequestsWith(marker));
        var used = waiting.Usage.TotalTokens;
        var tooLittle = await execution.SignalAsync(new SendSignal("budget", $$"""{"tokens": {{used}}}""", null, null));
        Assert.Equal(SignalOutcome.Invalid, tooLittle.Outcome);
        Assert.Equal(["/tokens"], tooLittle.Problems.Select(p => p.Pointer));
        var bad = await execution.SignalAsync(new SendSignal("budget", """{"tokens": -1, "extra": 1}""", null, null));
        Assert.Equal(SignalOutcome.Invalid, bad.Outcome);
        Assert.Equal(["/extra", "/tokens"], bad.Problems.Select(p => p.Pointer).Order());

        var raised = await execution.SignalAsync(new SendSignal("budget", """{"tokens": 100000}""", null, null));
        var done = await TerminalAsync(execution);

        Assert.Equal(SignalOutcome.Accepted, raised.Outcome);
        Assert.True(done.Status == ExecutionStatus.Succeeded, $"expected success; saw {done.Status}: {done.Error?.Type} {done.Error?.Message}");
        Assert.Equal(new ExecutionBudget(100000, null, Wait: true), done.Budget);
        Assert.Equal(2, fixture.Simulator.RequestsWith(marker).Count);
        Assert.Equal(2, done.Usage.Calls);
        var wait = JsonNode.Parse(Assert.Single(await EventsAsync(execution), e => e.Type == EventTypes.NodeWaiting).DataJson!)!;
        Assert.Equal("budget", wait["signal"]!.GetValue<string>());
        Assert.Equal(used, wait["usage"]!["totalTokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task AStartRequestsBudgetTightensTheDefinitionsAndStopsTheNextCall()
    {
        var marker = NewId("m");
        var workflowId = await _runs.PublishAsync(
            new JsonObject { ["first"] = UsageRuns.Llm($"first {marker}"), ["second"] = UsageRuns.Llm($"second {marker}") },
            budget: new JsonObject { ["tokens"] = 100000, ["cost"] = 9 });

        var execution = await _runs.StartAsync(workflowId, budget: new ExecutionBudget(Tokens: 3, Cost: 50));
        var done = await TerminalAsync(execution);

        Assert.Equal(new ExecutionBudget(3, 9m), done.Budget);
        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal(("BudgetExceeded", "second"), (done.Error?.Type, done.Error?.NodeId));
        Assert.Single(fixture.Simulator.RequestsWith(marker));
    }

    [Fact]
    public async Task ATenantsDailyBudgetStopsItsRunsOnceTheDayIsUsedUp()
    {
        var tenant = QuotaTenants.DailyBudget;
        var marker = NewId("m");
        var workflowId = await _runs.PublishAsync(new JsonObject { ["ask"] = UsageRuns.Llm($"one two three four five six seven eight nine ten eleven twelve {marker}") }, tenant: tenant);

        // 40 tokens a day: each run uses 28, so the second is sent (some budget left) and the third is not.
        var ends = new List<ExecutionSnapshot>();
        for (var run = 0; run < 3; run++)
        {
            ends.Add(await TerminalAsync(await _runs.StartAsync(workflowId, tenant: tenant)));
        }

        Assert.Equal([ExecutionStatus.Succeeded, ExecutionStatus.Succeeded, ExecutionStatus.Failed], ends.Select(e => e.Status));
        Assert.Equal("BudgetExceeded", ends[2].Error?.Type);
        Assert.Contains($"tenant '{tenant}'", ends[2].Error?.Message, StringComparison.Ordinal);
        Assert.Equal(0, ends[2].Usage.Calls);
        Assert.Equal(2, fixture.Simulator.RequestsWith(marker).Count);
    }

    [Fact]
    public async Task AChildStartsWithWhatIsLeftOfItsParentsBudgetAndRunningOutFailsTheParentsNode()
    {
        var marker = NewId("m");
        var child = await _runs.PublishAsync(new JsonObject { ["ask"] = UsageRuns.Llm($"child {marker}") });
        var workflowId = await _runs.PublishAsync(
            new JsonObject
            {
                ["first"] = UsageRuns.Llm($"first words {marker}"),
                ["sub"] = Node("subworkflow", new JsonObject { ["workflowId"] = child }, retry: new JsonObject { ["maxAttempts"] = 3, ["initialDelay"] = "10ms" }),
            },
            budget: new JsonObject { ["tokens"] = 5 });

        var execution = await _runs.StartAsync(workflowId);
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal(("BudgetExceeded", "sub", 1), (done.Error?.Type, done.Error?.NodeId, done.Error?.Attempt));
        var childId = JsonNode.Parse(Assert.Single(await EventsAsync(execution), e => e.Type == EventTypes.ChildStarted).DataJson!)!["executionId"]!.GetValue<string>();
        var ended = (await fixture.Grains.GetGrain<IExecutionGrain>(childId).GetAsync())!;
        Assert.Equal(new ExecutionBudget(0, null), ended.Budget);
        Assert.Equal("BudgetExceeded", ended.Error?.Type);
        Assert.Single(fixture.Simulator.RequestsWith(marker));
    }

    [Fact]
    public async Task ARunWaitingForBudgetCanBeCancelled()
    {
        var marker = NewId("m");
        var workflowId = await _runs.PublishAsync(
            new JsonObject { ["first"] = UsageRuns.Llm($"first words {marker}"), ["second"] = UsageRuns.Llm($"second words {marker}") },
            budget: new JsonObject { ["tokens"] = 5, ["onBudget"] = "wait" });
        var execution = await _runs.StartAsync(workflowId);
        await UsageRuns.WaitingForAsync(execution, "budget");

        await execution.CancelAsync("too dear");
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Cancelled, done.Status);
        Assert.Single(fixture.Simulator.RequestsWith(marker));
        Assert.Equal(SignalOutcome.Finished, (await execution.SignalAsync(new SendSignal("budget", """{"tokens": 100000}""", null, null))).Outcome);
    }
}
