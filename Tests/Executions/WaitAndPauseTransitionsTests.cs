using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Steps.BuiltIn;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Workflows;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrleans.Tests.Executions;

/// <summary>Signals, waits and pauses as transitions, without a cluster: what each one changes and appends.</summary>
public sealed class WaitAndPauseTransitionsTests
{
    private static readonly Lazy<CompiledWorkflow> Workflow = new(() => Definitions.Valid("""
        {"id":"w","start":"ask",
         "nodes":{
           "ask":{"type":"wait","with":{"signal":"approval","schema":{"type":"object","required":["approved"]}}},
           "after":{"type":"transform","with":{"set":{"done":true}}}},
         "edges":[{"from":"ask","to":"after"}]}
        """));

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ExecutionState _state = new();
    private readonly ExecutionOptions _options = new() { MaxSignalKeys = 2 };

    private static CompiledNode Ask => Workflow.Value.Nodes["ask"];

    private static WaitSettings AskSettings => WaitStep.Read(Ask.RenderSettings(new Grains.Expressions.ExpressionScope(null, new JsonObject())));

    private static SendSignal Signal(JsonNode? payload, string? key = null) => new("approval", payload?.ToJsonString(), key, "ada");

    [Fact]
    public void AWaitParksTheRunAndASignalEndsItWithThePayloadAsTheNodesOutput()
    {
        var transitions = Begun();

        transitions.Wait("ask", "approval", Start.AddHours(1), []);
        var waiting = (_state.Status, _state.Waiting, _state.Events[^1].Type, _state.Events[^1].DataJson);
        var signal = transitions.ReceiveSignal(Signal(new JsonObject { ["approved"] = true }), buffered: false);
        transitions.EndWait(Workflow.Value, Ask, new JsonObject { ["approved"] = true });

        Assert.Equal((ExecutionStatus.Waiting, new SignalWait("ask", "approval", Start.AddHours(1)), EventTypes.NodeWaiting), (waiting.Status, waiting.Waiting, waiting.Type));
        Assert.Equal("""{"signal":"approval","until":"2026-01-01T11:00:00+00:00"}""", waiting.DataJson);
        Assert.Equal("sig-1", signal.Id);
        Assert.Equal((ExecutionStatus.Running, (SignalWait?)null, "after"), (_state.Status, _state.Waiting, _state.CurrentNodeId));
        Assert.Equal([EventTypes.NodeWaiting, EventTypes.ExecutionSignaled, EventTypes.NodeCompleted, EventTypes.NodeStarted], _state.Events.Skip(3).Select(e => e.Type));
        Assert.Equal("""{"name":"approval","signalId":"sig-1","by":"ada","buffered":false}""", _state.Events[4].DataJson);
        Assert.True(JsonNode.Parse(_state.StateJson)!["ask"]!["approved"]!.GetValue<bool>());
    }

    [Fact]
    public void BufferedSignalsAreTakenInArrivalOrderAndThoseTheSchemaRefusesAreDropped()
    {
        var transitions = Begun();
        transitions.ReceiveSignal(Signal(new JsonObject { ["comment"] = "no decision" }), buffered: true);
        transitions.ReceiveSignal(new SendSignal("other", null, null, null), buffered: true);
        transitions.ReceiveSignal(Signal(new JsonObject { ["approved"] = false }), buffered: true);
        transitions.ReceiveSignal(Signal(new JsonObject { ["approved"] = true }), buffered: true);

        var (taken, refused) = transitions.TakeBufferedSignal("approval", AskSettings);

        Assert.Equal("sig-3", taken!.Id);
        Assert.Equal("sig-1", Assert.Single(refused)!["signalId"]!.GetValue<string>());
        Assert.Equal(["sig-2", "sig-4"], _state.Signals.Select(s => s.Id));
    }

    [Fact]
    public void IdempotencyKeysAreRememberedUpToTheBound()
    {
        var transitions = Begun();

        foreach (var key in new[] { "k1", "k2", "k3" })
        {
            transitions.ReceiveSignal(Signal(null, key), buffered: true);
        }

        Assert.Equal((false, true, true), (transitions.SawSignalKey("k1"), transitions.SawSignalKey("k2"), transitions.SawSignalKey("k3")));
        Assert.False(transitions.SawSignalKey(null));
    }

    [Fact]
    public void ATimedOutWaitEndsAndFailsItsAttemptWithWaitTimedOut()
    {
        var transitions = Begun();
        transitions.Wait("ask", "approval", Start.AddMinutes(1), []);

        var failed = transitions.TimeOutWait();

        Assert.Equal(("WaitTimedOut", true), (failed.ErrorType, failed.Retryable));
        Assert.Equal((ExecutionStatus.Running, (SignalWait?)null), (_state.Status, _state.Waiting));
    }

    [Fact]
    public void APauseTakesEffectAtTheNextNodeBoundaryAndAResumeEntersThatNode()
    {
        var transitions = Begun();

        var asked = transitions.RequestPause();
        var again = transitions.RequestPause();
        transitions.EndWait(Workflow.Value, Ask, new JsonObject { ["approved"] = true });
        var paused = (_state.Status, _state.CurrentNodeId, _state.PausedBefore, _state.PauseRequested, _state.Events[^1].Type, _state.Events[^1].DataJson);
        var resumed = transitions.Resume();
        var resumedAgain = transitions.Resume();

        Assert.Equal((true, false), (asked, again));
        Assert.Equal((ExecutionStatus.Paused, (string?)null, "after", false, EventTypes.ExecutionPaused, """{"nextNode":"after"}"""), paused);
        Assert.Equal((true, false), (resumed, resumedAgain));
        Assert.Equal((ExecutionStatus.Running, "after", (string?)null), (_state.Status, _state.CurrentNodeId, _state.PausedBefore));
        Assert.Equal([EventTypes.ExecutionResumed, EventTypes.NodeStarted], _state.Events.TakeLast(2).Select(e => e.Type));
    }

    [Fact]
    public void AResumeBeforeTheBoundaryWithdrawsThePause()
    {
        var transitions = Begun();
        transitions.RequestPause();

        var withdrawn = transitions.Resume();
        transitions.EndWait(Workflow.Value, Ask, new JsonObject { ["approved"] = true });

        Assert.True(withdrawn);
        Assert.Equal((ExecutionStatus.Running, "after"), (_state.Status, _state.CurrentNodeId));
        Assert.DoesNotContain(_state.Events, e => e.Type == EventTypes.ExecutionPaused);
    }

    private ExecutionTransitions Begun()
    {
        var transitions = new ExecutionTransitions(_state, _options, _time, "e1");
        transitions.Queue(Workflow.Value, null, new StartExecution("w", 1, null), "hash", null);
        transitions.Begin(Workflow.Value.Start.Id);
        return transitions;
    }
}
