using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Workflows;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrleans.Tests.Executions;

/// <summary>The execution's transitions without a cluster: state fields and the events each one appends.</summary>
public class ExecutionTransitionsTests
{
    // 'a' loops back to itself while state.again holds; 'b' may run twice at most.
    private static readonly Lazy<CompiledWorkflow> Workflow = new(() => Definitions.Valid("""
        {"id":"w","start":"a","timeout":"10m",
         "nodes":{
           "a":{"type":"transform","with":{"set":{"x":1}},
                "retry":{"maxAttempts":3,"initialDelay":"1s","backoff":2.0,"nonRetryable":["Fatal"]},"maxVisits":5},
           "b":{"type":"transform","with":{"set":{"y":2}},"maxVisits":2},
           "c":{"type":"transform","with":{"set":{"z":3}}}},
         "edges":[
           {"from":"a","to":"a","when":"state.again === true"},
           {"from":"a","to":"b"},
           {"from":"b","to":"b","when":"state.loop === true"},
           {"from":"b","to":"c","when":"state.bad.deeper.x === 1"}]}
        """));

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ExecutionState _state = new();
    private readonly ExecutionOptions _options = new();

    private static CompiledNode A => Workflow.Value.Nodes["a"];

    private static CompiledNode B => Workflow.Value.Nodes["b"];

    [Fact]
    public void QueuingAndBeginningRecordQueuedStartedAndTheStartNodeAsSeqOneToThree()
    {
        var transitions = Begun();

        Assert.Equal([(1L, EventTypes.ExecutionQueued), (2L, EventTypes.ExecutionStarted), (3L, EventTypes.NodeStarted)], _state.Events.Select(e => (e.Seq, e.Type)));
        Assert.Equal(_state.Events, transitions.Unpublished);
        Assert.Equal("""{"workflowId":"w","version":1,"parentExecutionId":null,"parentNodeId":null}""", _state.Events[0].DataJson);
        Assert.Equal(("a", 1, (string?)null), (_state.Events[2].NodeId, _state.Events[2].Attempt, _state.Events[2].DataJson));
        Assert.All(_state.Events, e => Assert.Equal("e1", e.ExecutionId));
        Assert.True(_state.Exists);
        Assert.Equal(ExecutionStatus.Running, _state.Status);
        Assert.Equal(3, _state.LastSeq);
        Assert.Equal(("a", 1, Start), (_state.CurrentNodeId, _state.CurrentAttempt, _state.AttemptStartedAt!.Value));
        Assert.Equal(1, _state.Visits["a"]);
        Assert.Equal(Start + TimeSpan.FromMinutes(10), _state.Deadline);
        Assert.Equal("""{"n":1}""", _state.InputJson);
        Assert.Equal(("hash", "00-trace", 7), (_state.RequestHash, _state.TraceParent, _state.Priority));
    }

    [Fact]
    public void ARunStoppedBeforeItBeganEntersNoNode()
    {
        var transitions = Queued();

        transitions.Begin(startNodeId: null);

        Assert.Equal(ExecutionStatus.Running, _state.Status);
        Assert.Null(_state.CurrentNodeId);
        Assert.Equal(EventTypes.ExecutionStarted, _state.Events[^1].Type);
    }

    [Fact]
    public void CompletingANodeStoresItsOutputAndEntersTheNext()
    {
        var transitions = Begun();
        _time.Advance(TimeSpan.FromSeconds(2));

        transitions.CompleteNode(Workflow.Value, A, new StepResult(new JsonObject { ["ok"] = true }, new JsonObject { ["x"] = 1 }));

        var (completed, started) = (_state.Events[^2], _state.Events[^1]);
        Assert.Equal((4L, EventTypes.NodeCompleted, "a", (int?)1), (completed.Seq, completed.Type, completed.NodeId, completed.Attempt));
        Assert.Equal("""{"output":{"ok":true}}""", completed.DataJson);
        Assert.Equal((5L, EventTypes.NodeStarted, "b"), (started.Seq, started.Type, started.NodeId));
        Assert.Equal("""{"a":{"ok":true},"x":1}""", _state.StateJson);
        Assert.Equal(("b", 1, Start + TimeSpan.FromSeconds(2)), (_state.CurrentNodeId, _state.CurrentAttempt, _state.AttemptStartedAt!.Value));
        Assert.Equal(ExecutionStatus.Running, _state.Status);
    }

    [Fact]
    public void ANodeEnteredAgainCountsItsVisitInTheEventAndTheIdempotencyKey()
    {
        var transitions = Begun();

        transitions.CompleteNode(Workflow.Value, A, new StepResult(null, new JsonObject { ["again"] = true }));

        Assert.Equal("""{"visit":2}""", _state.Events[^1].DataJson);
        Assert.Equal(2, _state.Visits["a"]);
        Assert.Equal("e1:a.2:1", transitions.IdempotencyKey("a"));
        Assert.Equal("e1:b:1", transitions.IdempotencyKey("b"));
    }

    [Fact]
    public void CompletingTheLastNodeSucceedsWithTheRunsStateAsResult()
    {
        var transitions = Begun();
        transitions.CompleteNode(Workflow.Value, A, new StepResult(null, new JsonObject { ["x"] = 1 }));
        _time.Advance(TimeSpan.FromSeconds(1));

        transitions.CompleteNode(Workflow.Value, B, new StepResult(null, JsonNode.Parse("""{"bad":{"deeper":{"x":0}}}""")!.AsObject()));

        var completed = _state.Events[^1];
        Assert.Equal(EventTypes.ExecutionCompleted, completed.Type);
        Assert.Null(completed.NodeId);
        Assert.Equal("""{"status":"succeeded","result":{"x":1,"bad":{"deeper":{"x":0}}}}""", completed.DataJson);
        Assert.Equal(ExecutionStatus.Succeeded, _state.Status);
        Assert.Equal(_state.StateJson, _state.ResultJson);
        Assert.Equal(Start + TimeSpan.FromSeconds(1), _state.CompletedAt);
        Assert.Null(_state.Error);
    }

    [Fact]
    public void AnEdgeConditionThatThrowsFailsTheRunAtTheNode()
    {
        var transitions = Begun();
        transitions.CompleteNode(Workflow.Value, A, StepResult.Empty);

        // state.bad is missing: reading state.bad.deeper throws.
        transitions.CompleteNode(Workflow.Value, B, StepResult.Empty);

        Assert.Equal(ExecutionStatus.Failed, _state.Status);
        Assert.Equal(("ExpressionError", "b", (int?)1), (_state.Error!.Type, _state.Error.NodeId, _state.Error.Attempt));
        Assert.Equal(EventTypes.ExecutionFailed, _state.Events[^1].Type);
        Assert.Equal("ExpressionError", JsonNode.Parse(_state.Events[^1].DataJson!)!["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void AnEdgeIntoANodePastItsMaxVisitsFailsTheRunWithoutEnteringIt()
    {
        var transitions = Begun();
        transitions.CompleteNode(Workflow.Value, A, StepResult.Empty);
        transitions.CompleteNode(Workflow.Value, B, new StepResult(null, new JsonObject { ["loop"] = true }));
        var seqBefore = _state.LastSeq;

        transitions.CompleteNode(Workflow.Value, B, StepResult.Empty);

        Assert.Equal(2, _state.Visits["b"]);
        Assert.Equal(ExecutionStatus.Failed, _state.Status);
        Assert.Equal(new ExecutionError("IterationLimitExceeded", "node 'b' would run more than its maxVisits of 2", "b", null), _state.Error);
        Assert.Equal([EventTypes.NodeCompleted, EventTypes.ExecutionFailed], _state.Events.Where(e => e.Seq > seqBefore).Select(e => e.Type));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"status":"failed","error":{"type":"IterationLimitExceeded","message":"node 'b' would run more than its maxVisits of 2"},"stoppedNodes":null}"""),
            JsonNode.Parse(_state.Events[^1].DataJson!)), _state.Events[^1].DataJson);
    }

    [Fact]
    public void ARetryableFailureSchedulesTheNextAttemptAfterItsBackoff()
    {
        var transitions = Begun();

        var retrying = transitions.FailAttempt(A, new AttemptOutcome.Failed("Flaky", "try again", Retryable: true), jitter: 0.5);

        Assert.True(retrying);
        var retry = _state.Events[^1];
        Assert.Equal((4L, EventTypes.NodeRetrying, "a", (int?)1), (retry.Seq, retry.Type, retry.NodeId, retry.Attempt));
        Assert.Equal("""{"type":"Flaky","message":"try again","nextAttempt":2,"delayMs":1000}""", retry.DataJson);
        Assert.Equal(Start + TimeSpan.FromSeconds(1), _state.NextAttemptAt);
        Assert.Equal((ExecutionStatus.Running, 1), (_state.Status, _state.CurrentAttempt));
    }

    [Fact]
    public void AStepsRetryAfterIsAFloorForTheDelay()
    {
        var transitions = Begun();

        transitions.FailAttempt(A, new AttemptOutcome.Failed("RateLimited", "slow down", Retryable: true, RetryAfter: TimeSpan.FromSeconds(30)), jitter: 0.5);

        Assert.Equal(Start + TimeSpan.FromSeconds(30), _state.NextAttemptAt);
        Assert.Equal(30_000, JsonNode.Parse(_state.Events[^1].DataJson!)!["delayMs"]!.GetValue<long>());
    }

    [Fact]
    public void ARetryOfAnAttemptThatStreamedProgressTellsReadersToDiscardIt()
    {
        var transitions = Begun();
        transitions.AppendProgress("a", [JsonValue.Create("tok")!]);

        transitions.FailAttempt(A, new AttemptOutcome.Failed("Flaky", "try again", Retryable: true), jitter: 0.5);

        Assert.True(JsonNode.Parse(_state.Events[^1].DataJson!)!["discardProgress"]!.GetValue<bool>());
    }

    [Fact]
    public void TheNextAttemptStartsOnceTheRetryDelayHasPassed()
    {
        var transitions = Begun();
        transitions.FailAttempt(A, new AttemptOutcome.Failed("Flaky", "try again", Retryable: true), jitter: 0.5);
        _time.Advance(TimeSpan.FromSeconds(1));

        transitions.BeginRetryAttempt();

        var started = _state.Events[^1];
        Assert.Equal((5L, EventTypes.NodeStarted, "a", (int?)2, (string?)null), (started.Seq, started.Type, started.NodeId, started.Attempt, started.DataJson));
        Assert.Equal((2, Start + TimeSpan.FromSeconds(1)), (_state.CurrentAttempt, _state.AttemptStartedAt!.Value));
        Assert.Null(_state.NextAttemptAt);
        Assert.Equal("e1:a:2", transitions.IdempotencyKey("a"));
    }

    [Fact]
    public void TheLastAttemptsFailureFailsTheNodeAndTheRun()
    {
        var transitions = Begun();
        for (var attempt = 1; attempt < 3; attempt++)
        {
            transitions.FailAttempt(A, new AttemptOutcome.Failed("Flaky", "try again", Retryable: true), jitter: 0.5);
            transitions.BeginRetryAttempt();
        }

        var retrying = transitions.FailAttempt(A, new AttemptOutcome.Failed("Flaky", "still failing", Retryable: true), jitter: 0.5);

        Assert.False(retrying);
        var (failed, ended) = (_state.Events[^2], _state.Events[^1]);
        Assert.Equal((EventTypes.NodeFailed, "a", (int?)3, """{"type":"Flaky","message":"still failing"}"""), (failed.Type, failed.NodeId, failed.Attempt, failed.DataJson));
        Assert.Equal(EventTypes.ExecutionFailed, ended.Type);
        Assert.Equal(new ExecutionError("Flaky", "still failing", "a", 3), _state.Error);
        Assert.Equal(ExecutionStatus.Failed, _state.Status);
    }

    [Theory]
    [InlineData("Fatal", true)]
    [InlineData("Flaky", false)]
    public void ANonRetryableErrorFailsTheRunAtTheFirstAttempt(string errorType, bool retryable)
    {
        var transitions = Begun();

        var retrying = transitions.FailAttempt(A, new AttemptOutcome.Failed(errorType, "no", retryable), jitter: 0.5);

        Assert.False(retrying);
        Assert.Equal(ExecutionStatus.Failed, _state.Status);
        Assert.Equal(1, _state.Error!.Attempt);
    }

    [Fact]
    public void ACancelEndsTheRunWithItsReasonTheStoppedNodesAndWhetherTheStepWasAbandoned()
    {
        var transitions = Begun();
        _state.CancelRequested = true;
        _state.CancelReason = "no longer needed";

        var ended = transitions.Stop(cancelRequested: false, pastDeadline: true, ["a"], abandoned: true, Workflow.Value.Timeout);

        Assert.True(ended);
        Assert.Equal(ExecutionStatus.Cancelled, _state.Status);
        Assert.Null(_state.Error);
        Assert.Equal(EventTypes.ExecutionCancelled, _state.Events[^1].Type);
        Assert.Equal("""{"status":"cancelled","reason":"no longer needed","stoppedNodes":["a"],"abandoned":true}""", _state.Events[^1].DataJson);
    }

    [Fact]
    public void ACancelWithNothingInFlightStopsNoNodes()
    {
        var transitions = Begun();

        transitions.Stop(cancelRequested: true, pastDeadline: false, [], abandoned: false, Workflow.Value.Timeout);

        Assert.Equal("""{"status":"cancelled","reason":null,"stoppedNodes":[],"abandoned":false}""", _state.Events[^1].DataJson);
    }

    [Fact]
    public void APassedDeadlineTimesTheRunOut()
    {
        var transitions = Begun();

        var ended = transitions.Stop(cancelRequested: false, pastDeadline: true, ["a"], abandoned: false, Workflow.Value.Timeout);

        Assert.True(ended);
        Assert.Equal(ExecutionStatus.TimedOut, _state.Status);
        Assert.Equal(new ExecutionError("ExecutionTimedOut", "the execution passed its overall timeout of 00:10:00", "a", 1), _state.Error);
        Assert.Equal(EventTypes.ExecutionTimedOut, _state.Events[^1].Type);
        Assert.Equal(
            """{"status":"timed_out","error":{"type":"ExecutionTimedOut","message":"the execution passed its overall timeout of 00:10:00"},"stoppedNodes":["a"]}""",
            _state.Events[^1].DataJson);
    }

    [Fact]
    public void AStopThatIsOnlyAShutdownChangesNothing()
    {
        var transitions = Begun();

        var ended = transitions.Stop(cancelRequested: false, pastDeadline: false, ["a"], abandoned: false, Workflow.Value.Timeout);

        Assert.False(ended);
        Assert.Equal((ExecutionStatus.Running, 3L, "a"), (_state.Status, _state.LastSeq, _state.CurrentNodeId));
    }

    [Fact]
    public void AnInternalFailureNamesTheNodeAndAttemptInFlight()
    {
        var transitions = Begun();

        transitions.Fail("InternalError", "boom");

        Assert.Equal(new ExecutionError("InternalError", "boom", "a", 1), _state.Error);
        Assert.Equal("""{"status":"failed","error":{"type":"InternalError","message":"boom"},"stoppedNodes":null}""", _state.Events[^1].DataJson);
    }

    [Fact]
    public void AResumedAttemptSaysSoAndAsksToDiscardWhatItStreamedBefore()
    {
        var transitions = Begun();
        transitions.ResumeAttempt();
        Assert.Equal(("a", (int?)1, """{"resumed":true}"""), (_state.Events[^1].NodeId, _state.Events[^1].Attempt, _state.Events[^1].DataJson));

        transitions.AppendProgress("a", [JsonValue.Create("tok")!]);
        transitions.ResumeAttempt();

        Assert.Equal("""{"resumed":true,"discardProgress":true}""", _state.Events[^1].DataJson);
    }

    [Fact]
    public void ProgressIsBatchedPerEventAndAnOversizedChunkIsReplacedByAMarker()
    {
        _options.MaxChunksPerProgressEvent = 2;
        _options.MaxPayloadBytes = 10;
        var transitions = Begun();

        Assert.False(transitions.AppendProgress("a", []));
        Assert.True(transitions.AppendProgress("a", [JsonValue.Create("one")!, JsonValue.Create("two")!, JsonValue.Create("far too long a chunk")!]));

        var progress = _state.Events.Where(e => e.Type == EventTypes.NodeProgress).ToList();
        Assert.Equal([4L, 5L], progress.Select(e => e.Seq));
        Assert.Equal("""{"chunks":["one","two"]}""", progress[0].DataJson);
        Assert.Equal("""{"chunks":[{"truncated":true,"reason":"chunk over 10 bytes"}]}""", progress[1].DataJson);
        Assert.True(_state.AttemptEmittedProgress);
    }

    [Fact]
    public void EventsBeyondTheRetentionAreTrimmedButStillAwaitTheirPublish()
    {
        _options.MaxRetainedEvents = 2;
        var transitions = Begun();

        transitions.CompleteNode(Workflow.Value, A, StepResult.Empty);

        Assert.Equal([4L, 5L], _state.Events.Select(e => e.Seq));
        Assert.Equal(3, _state.TrimmedThrough);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], transitions.Unpublished.Select(e => e.Seq));
    }

    [Fact]
    public void ACheckpointTakesTheEventsItMadeDurableAndLeavesTheLaterOnes()
    {
        var transitions = Begun();
        var durable = _state.LastSeq;
        transitions.CompleteNode(Workflow.Value, A, StepResult.Empty);

        Assert.Equal([1L, 2L, 3L], transitions.TakeUnpublishedThrough(durable).Select(e => e.Seq));
        Assert.Equal([4L, 5L], transitions.Unpublished.Select(e => e.Seq));
        Assert.Empty(transitions.TakeUnpublishedThrough(durable));
    }

    [Fact]
    public void TheAttemptClockDoesNotCountAWaitForPools()
    {
        var transitions = Begun();

        transitions.WaitedForPools(TimeSpan.FromSeconds(3));

        Assert.Equal(Start + TimeSpan.FromSeconds(3), _state.AttemptStartedAt);
        Assert.Equal(3, _state.LastSeq);
    }

    private ExecutionTransitions Queued()
    {
        var transitions = new ExecutionTransitions(_state, _options, _time, "e1");
        transitions.Queue(Workflow.Value, new JsonObject { ["n"] = 1 }, new StartExecution("w", 1, """{"n":1}""") { Priority = 7 }, "hash", "00-trace");
        return transitions;
    }

    private ExecutionTransitions Begun()
    {
        var transitions = Queued();
        transitions.Begin(Workflow.Value.Start.Id);
        return transitions;
    }
}
