using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Workflows;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrleans.Tests.Executions;

/// <summary>Approvals of tool calls as transitions, without a cluster: waiting, deciding, timing out, delivering.</summary>
public sealed class ApprovalTransitionsTests
{
    private static readonly Lazy<CompiledWorkflow> Workflow = new(() => Definitions.Valid("""
        {"id":"w","start":"agent","nodes":{"agent":{"type":"transform","with":{"set":{}}}}}
        """));

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ExecutionState _state = new();

    private static ApprovalRequest Request(int index, TimeSpan? timeout = null) =>
        new($"approval:1:{index}", $"call-{index}", "pay", new JsonObject { ["amount"] = index }, timeout);

    [Fact]
    public void TheRunWaitsForEachCallAndAnnouncesItWithItsDeadline()
    {
        var transitions = Begun();

        var goesOn = transitions.AwaitApprovals("agent", [Request(0, TimeSpan.FromHours(1)), Request(1)]);

        Assert.False(goesOn);
        Assert.Equal(ExecutionStatus.Waiting, _state.Status);
        Assert.Equal([Start.AddHours(1), null], _state.Approvals.Select(a => a.Until));
        var waiting = _state.Events.Where(e => e.Type == EventTypes.NodeWaiting).Select(e => e.DataJson).ToList();
        Assert.Equal(
            [
                """{"signal":"approval","until":"2026-01-01T11:00:00+00:00","approval":{"toolCallId":"call-0","name":"pay","arguments":{"amount":0}}}""",
                """{"signal":"approval","until":null,"approval":{"toolCallId":"call-1","name":"pay","arguments":{"amount":1}}}""",
            ],
            waiting);
    }

    [Fact]
    public void ADecisionGoesOnWithoutTheNodesClockAndTheCallStillPendingKeepsItsDeadlineWhenAskedAgain()
    {
        var transitions = Begun();
        transitions.AwaitApprovals("agent", [Request(0), Request(1, TimeSpan.FromHours(1))]);
        _time.Advance(TimeSpan.FromMinutes(10));

        transitions.DecideApproval(transitions.FindApproval("call-0")!, new ApprovalDecision(true, null, "ok", "ada", "sig-1"));
        var afterDecision = (_state.Status, _state.AttemptStartedAt);
        transitions.DeliverApprovalDecisions();
        _time.Advance(TimeSpan.FromMinutes(5));
        var goesOn = transitions.AwaitApprovals("agent", [Request(1, TimeSpan.FromHours(1))]);

        Assert.Equal((ExecutionStatus.Running, Start.AddMinutes(10)), afterDecision);
        Assert.Equal("""{"approved":true,"comment":"ok","by":"ada","signalId":"sig-1"}""", _state.Journal["approval:1:0"]);
        Assert.Empty(_state.ApprovalDecisions);
        Assert.False(goesOn);
        Assert.Equal(Start.AddHours(1), _state.Approvals.Single().Until);
    }

    [Fact]
    public void ACallDecidedWhileTheAttemptRanLetsItGoOnAtOnce()
    {
        var transitions = Begun();
        transitions.AwaitApprovals("agent", [Request(0), Request(1)]);
        transitions.DecideApproval(transitions.FindApproval("call-0")!, new ApprovalDecision(true, null, null, null, "sig-1"));
        transitions.DeliverApprovalDecisions();

        // The attempt runs call 0; call 1 is decided meanwhile, before the attempt stops again for it.
        transitions.DecideApproval(transitions.FindApproval("call-1")!, new ApprovalDecision(false, null, "no", null, "sig-2"));
        var goesOn = transitions.AwaitApprovals("agent", [Request(1)]);

        Assert.True(goesOn);
        Assert.Equal(ExecutionStatus.Running, _state.Status);
        Assert.Empty(_state.Approvals);
        Assert.Contains("approval:1:1", _state.ApprovalDecisions.Keys);
    }

    [Fact]
    public void ACallPastItsDeadlineIsDecidedAsTimedOut()
    {
        var transitions = Begun();
        transitions.AwaitApprovals("agent", [Request(0, TimeSpan.FromMinutes(1)), Request(1)]);

        var early = transitions.TimeOutWaitingApprovals();
        _time.Advance(TimeSpan.FromMinutes(1));
        var due = transitions.TimeOutWaitingApprovals();

        Assert.False(early);
        Assert.True(due);
        Assert.Equal(ExecutionStatus.Running, _state.Status);
        Assert.True(ApprovalDecision.FromJson(JsonNode.Parse(_state.ApprovalDecisions["approval:1:0"])!.AsObject()).TimedOut);
        Assert.Equal("call-1", _state.Approvals.Single().Call.ToolCallId);
    }

    [Fact]
    public void TheRunsEndForgetsItsApprovals()
    {
        var transitions = Begun();
        transitions.AwaitApprovals("agent", [Request(0)]);

        transitions.Stop(cancelRequested: true, pastDeadline: false, ["agent"], abandoned: false, null);

        Assert.Equal(ExecutionStatus.Cancelled, _state.Status);
        Assert.Empty(_state.Approvals);
        Assert.Null(_state.WaitingForApprovalsSince);
    }

    [Fact]
    public void AnApprovalSignalIsCheckedForEveryProblem()
    {
        var pending = new[] { "call-0", "call-1" };

        var fine = Approvals.Check(JsonNode.Parse("""{"toolCallId":"call-1","approved":true,"arguments":{"a":1},"comment":"ok"}"""), pending);
        var notAnObject = Approvals.Check(JsonNode.Parse("true"), pending);
        var wrong = Approvals.Check(JsonNode.Parse("""{"toolCallId":7,"approved":false,"arguments":{},"comment":3,"x~/y":1}"""), pending);

        Assert.Empty(fine);
        Assert.Equal("", Assert.Single(notAnObject).Pointer);
        Assert.Equal(["/arguments", "/comment", "/toolCallId", "/x~0~1y"], wrong.Select(p => p.Pointer).Order(StringComparer.Ordinal));
        Assert.Contains("call-0, call-1", wrong.Single(p => p.Pointer == "/toolCallId").Message, StringComparison.Ordinal);
    }

    private ExecutionTransitions Begun()
    {
        var transitions = new ExecutionTransitions(_state, new ExecutionOptions(), _time, "e1");
        transitions.Queue(Workflow.Value, null, new StartExecution("w", 1, null), "hash", null);
        transitions.Begin(Workflow.Value.Start.Id);
        return transitions;
    }
}
