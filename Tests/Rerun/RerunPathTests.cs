using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Workflows;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrleans.Tests.Rerun;

/// <summary>The undo path without a cluster: what each completed node records, and the state a re-run plans from it.</summary>
public class RerunPathTests
{
    // 'a' loops back to itself while state.again holds, then 'b', then 'c' (which the tests fail).
    private static readonly Lazy<CompiledWorkflow> Workflow = new(() => Definitions.Valid("""
        {"id":"w","start":"a",
         "nodes":{
           "a":{"type":"transform","with":{"set":{"x":1}},"maxVisits":5},
           "b":{"type":"transform","with":{"set":{"y":2}}},
           "c":{"type":"transform","with":{"set":{"z":3}}},
           "d":{"type":"transform","with":{"set":{"w":4}}}},
         "edges":[
           {"from":"a","to":"a","when":"state.again === true"},
           {"from":"a","to":"b"},
           {"from":"b","to":"c"},
           {"from":"c","to":"d"}]}
        """));

    private readonly ExecutionState _state = new();
    private readonly ExecutionOptions _options = new();

    private static CompiledNode N(string id) => Workflow.Value.Nodes[id];

    [Fact]
    public void FromTheFailedNodeTheStateIsTheOriginalsFinalStateAndTheNodeIsEnteredAgain()
    {
        var transitions = FailedAtC();

        var plan = transitions.PlanRerun(Workflow.Value, null, null, "alice");

        Assert.Equal(RerunOutcome.Ready, plan.Outcome);
        var seed = plan.Start!.Rerun!;
        Assert.Equal(("e1", "c"), (seed.Of, seed.FromNodeId));
        Assert.Equal(_state.StateJson, seed.StateJson);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }, seed.Visits);
        Assert.Equal(["a", "b"], seed.Path.Select(s => s.NodeId));
        Assert.Equal(("w", 1, """{"n":1}""", "alice"), (plan.Start.WorkflowId, plan.Start.Version, plan.Start.InputJson, plan.Start.By));
    }

    [Fact]
    public void FromAnEarlierNodeItsAndTheLaterNodesOutputsAndPatchesAreUndone()
    {
        var transitions = FailedAtC();

        var plan = transitions.PlanRerun(Workflow.Value, "b", """{"n":2}""", null);

        var seed = plan.Start!.Rerun!;
        Assert.Equal("b", seed.FromNodeId);
        Assert.Equal("""{"a":{"v":1},"total":1}""", seed.StateJson);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1 }, seed.Visits);
        Assert.Equal(["a"], seed.Path.Select(s => s.NodeId));
        Assert.Equal("""{"n":2}""", plan.Start.InputJson);
        Assert.Equal("""{"a":{"v":1},"total":2,"b":{"v":2}}""", _state.StateJson); // the original's state is unchanged
    }

    [Fact]
    public void FromANodeInALoopTheStateIsTheOneBeforeItsLastVisit()
    {
        var transitions = Begun();
        transitions.CompleteNode(Workflow.Value, N("a"), new StepResult(new JsonObject { ["i"] = 1 }, new JsonObject { ["again"] = true }));
        transitions.CompleteNode(Workflow.Value, N("a"), new StepResult(new JsonObject { ["i"] = 2 }, new JsonObject { ["again"] = false }));
        transitions.CompleteNode(Workflow.Value, N("b"), new StepResult(new JsonObject { ["v"] = 2 }));
        transitions.FailAttempt(N("c"), new AttemptOutcome.Failed("Boom", "fails", Retryable: false), 0);

        var seed = transitions.PlanRerun(Workflow.Value, "a", null, null).Start!.Rerun!;

        Assert.Equal("""{"a":{"i":1},"again":true}""", seed.StateJson);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1 }, seed.Visits);
        Assert.Equal([("a", 1)], seed.Path.Select(s => (s.NodeId, s.Visit)));
    }

    [Fact]
    public void ASucceededRunReRunsWholeUnlessANodeIsNamed()
    {
        var transitions = FailedAtC(fail: false);
        transitions.CompleteNode(Workflow.Value, N("c"), new StepResult(new JsonObject { ["v"] = 3 }));
        transitions.CompleteNode(Workflow.Value, N("d"), new StepResult(new JsonObject { ["v"] = 4 }));
        Assert.Equal(ExecutionStatus.Succeeded, _state.Status);

        var whole = transitions.PlanRerun(Workflow.Value, null, null, null).Start!.Rerun!;
        var fromD = transitions.PlanRerun(Workflow.Value, "d", null, null).Start!.Rerun!;

        Assert.Equal(("a", "{}", 0, 0), (whole.FromNodeId, whole.StateJson, whole.Visits.Count, whole.Path.Count));
        Assert.Equal(("d", 3), (fromD.FromNodeId, fromD.Path.Count));
        Assert.DoesNotContain("\"d\"", fromD.StateJson, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownNodeANodeNeverReachedAndANodeTrimmedFromThePathAreRefused()
    {
        _options.MaxRerunPathSteps = 1;
        var transitions = FailedAtC();

        Assert.Equal(RerunOutcome.UnknownNode, transitions.PlanRerun(Workflow.Value, "nope", null, null).Outcome);
        Assert.Equal(RerunOutcome.NotReached, transitions.PlanRerun(Workflow.Value, "d", null, null).Outcome);
        Assert.Equal(RerunOutcome.NotKept, transitions.PlanRerun(Workflow.Value, "a", null, null).Outcome);
        Assert.Equal(RerunOutcome.Ready, transitions.PlanRerun(Workflow.Value, "b", null, null).Outcome);
        Assert.Equal(["b"], _state.Path.Select(s => s.NodeId));
    }

    [Fact]
    public void APathOverItsCharacterBoundDropsItsOldestSteps()
    {
        _options.MaxRerunPathChars = 60;
        var transitions = Begun();
        transitions.CompleteNode(Workflow.Value, N("a"), new StepResult(new JsonObject { ["i"] = 1 }, new JsonObject { ["again"] = true }));
        transitions.CompleteNode(Workflow.Value, N("a"), new StepResult(new JsonObject { ["big"] = new string('x', 30) }, new JsonObject { ["again"] = true }));
        transitions.CompleteNode(Workflow.Value, N("a"), new StepResult(new JsonObject { ["i"] = 3 }, new JsonObject { ["again"] = false }));

        // The third visit keeps the 40-character output it overwrote: with the two steps before it the path would pass 60.
        Assert.Equal([3], _state.Path.Select(s => s.Visit));
    }

    [Fact]
    public void TheReRunsQueuedEventNamesTheOriginalAndItsStateIsSeeded()
    {
        var seed = FailedAtC().PlanRerun(Workflow.Value, "b", null, null).Start!;
        var rerunState = new ExecutionState();
        var rerun = new ExecutionTransitions(rerunState, _options, new FakeTimeProvider(), "acme/e2");

        rerun.Queue(Workflow.Value, null, seed, "hash", null);
        rerun.SeedRerun(seed.Rerun!);
        rerun.Begin(seed.Rerun!.FromNodeId);

        var queued = JsonNode.Parse(rerunState.Events[0].DataJson!)!;
        Assert.Equal(("e1", "b"), (queued["rerunOf"]!.GetValue<string>(), queued["fromNode"]!.GetValue<string>()));
        Assert.Equal(["a"], queued["reusedNodes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(("e1", "b", "b"), (rerunState.RerunOf, rerunState.RerunFrom, rerunState.CurrentNodeId));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }, rerunState.Visits);
        Assert.Equal("""{"a":{"v":1},"total":1}""", rerun.WorkingState.ToJsonString());
    }

    [Fact]
    public void AReRunIsADifferentRequestFromAPlainStartAndFromAReRunFromAnotherNode()
    {
        var transitions = FailedAtC();
        var plain = new StartExecution("w", 1, """{"n":1}""");
        var fromB = transitions.PlanRerun(Workflow.Value, "b", null, null).Start!;
        var fromC = transitions.PlanRerun(Workflow.Value, "c", null, null).Start!;

        Assert.Equal(3, new[] { StartRequest.Hash(plain), StartRequest.Hash(fromB), StartRequest.Hash(fromC) }.Distinct().Count());
        Assert.Equal(StartRequest.Hash(fromB), StartRequest.Hash(transitions.PlanRerun(Workflow.Value, "b", null, null).Start!));
    }

    private ExecutionTransitions FailedAtC(bool fail = true)
    {
        var transitions = Begun();
        transitions.CompleteNode(Workflow.Value, N("a"), new StepResult(new JsonObject { ["v"] = 1 }, new JsonObject { ["total"] = 1 }));
        transitions.CompleteNode(Workflow.Value, N("b"), new StepResult(new JsonObject { ["v"] = 2 }, new JsonObject { ["total"] = 2 }));
        if (fail)
        {
            transitions.FailAttempt(N("c"), new AttemptOutcome.Failed("Boom", "fails on purpose", Retryable: false), 0);
            Assert.Equal((ExecutionStatus.Failed, "c"), (_state.Status, _state.CurrentNodeId));
        }

        return transitions;
    }

    private ExecutionTransitions Begun()
    {
        var transitions = new ExecutionTransitions(_state, _options, new FakeTimeProvider(), "e1");
        transitions.Queue(Workflow.Value, new JsonObject { ["n"] = 1 }, new StartExecution("w", 1, """{"n":1}"""), "hash", null);
        transitions.Begin(Workflow.Value.Start.Id);
        return transitions;
    }
}
