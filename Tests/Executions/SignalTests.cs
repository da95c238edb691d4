using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Executions;

/// <summary>The <c>wait</c> node and the signals it waits for.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SignalTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    internal static JsonObject Wait(string signal, string? timeout = null, JsonObject? schema = null, JsonNode? onTimeoutOutput = null)
    {
        var with = new JsonObject { ["signal"] = signal };
        if (timeout is not null)
        {
            with["timeout"] = timeout;
        }

        if (schema is not null)
        {
            with["schema"] = schema;
        }

        if (onTimeoutOutput is not null)
        {
            with["onTimeout"] = new JsonObject { ["output"] = onTimeoutOutput };
        }

        return Node("wait", with);
    }

    internal static SendSignal Signal(string name, JsonNode? payload, string? key = null) => new(name, payload?.ToJsonString(), key, "tester");

    internal static Task<ExecutionSnapshot?> WaitingAsync(IExecutionGrain execution) =>
        Polling.UntilAsync(execution.GetAsync, s => s?.Status == ExecutionStatus.Waiting, Deadline, TimeSpan.FromMilliseconds(20));

    [Fact]
    public async Task AWaitingRunTakesTheSignalsPayloadAsTheNodesOutput()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["ask"] = Wait("approval"), ["after"] = Node("test.count") });
        var execution = await _workflows.StartAsync(workflowId);

        var waiting = await WaitingAsync(execution);
        var result = await execution.SignalAsync(Signal("approval", new JsonObject { ["ok"] = true }));
        var done = await TerminalAsync(execution);

        Assert.True(waiting?.Status == ExecutionStatus.Waiting, $"expected the run to wait; saw {waiting?.Status}");
        Assert.Equal([new SignalWait("ask", "approval", null)], waiting!.WaitingFor);
        Assert.Equal(SignalOutcome.Accepted, result.Outcome);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.True(JsonNode.Parse(done.ResultJson!)!["ask"]!["ok"]!.GetValue<bool>());
        var events = await EventsAsync(execution);
        AssertGapFree(events);
        var waited = Assert.Single(events, e => e.Type == EventTypes.NodeWaiting);
        Assert.Equal("approval", JsonNode.Parse(waited.DataJson!)!["signal"]!.GetValue<string>());
        var signaled = JsonNode.Parse(Assert.Single(events, e => e.Type == EventTypes.ExecutionSignaled).DataJson!)!;
        Assert.Equal(("approval", result.SignalId, "tester"), (signaled["name"]!.GetValue<string>(), signaled["signalId"]!.GetValue<string>(), signaled["by"]!.GetValue<string>()));
        Assert.Equal(1, TestSteps.RunCountFor(execution.GetPrimaryKeyString(), "after"));
    }

    [Fact]
    public async Task SignalsSentBeforeTheirNodeIsReachedAreBufferedAndTakenInOrder()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["busy"] = Node("test.block", new JsonObject { ["ms"] = 1_000 }),
            ["first"] = Wait("answer"),
            ["second"] = Wait("answer"),
        });
        var execution = await _workflows.StartAsync(workflowId);

        var one = await execution.SignalAsync(Signal("answer", new JsonObject { ["n"] = 1 }));
        var two = await execution.SignalAsync(Signal("answer", new JsonObject { ["n"] = 2 }));
        var done = await TerminalAsync(execution);

        Assert.Equal((SignalOutcome.Accepted, SignalOutcome.Accepted), (one.Outcome, two.Outcome));
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var result = JsonNode.Parse(done.ResultJson!)!;
        Assert.Equal((1, 2), (result["first"]!["n"]!.GetValue<int>(), result["second"]!["n"]!.GetValue<int>()));
    }

    [Fact]
    public async Task TheTimeoutFailsTheNodeWithWaitTimedOut()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["ask"] = Wait("approval", timeout: "300ms") });

        var done = await TerminalAsync(await _workflows.StartAsync(workflowId));

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal(("WaitTimedOut", "ask"), (done.Error?.Type, done.Error?.NodeId));
    }

    [Fact]
    public async Task TheTimeoutWithAnOutputGivenEndsTheWaitWithIt()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["ask"] = Wait("approval", timeout: "300ms", onTimeoutOutput: new JsonObject { ["approved"] = false }) });

        var done = await TerminalAsync(await _workflows.StartAsync(workflowId));

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.False(JsonNode.Parse(done.ResultJson!)!["ask"]!["approved"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ASignalThatBreaksTheSchemaIsRefusedAndTheRunKeepsWaiting()
    {
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("approved"),
            ["properties"] = new JsonObject { ["approved"] = new JsonObject { ["type"] = "boolean" } },
        };
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["ask"] = Wait("approval", schema: schema) });
        var execution = await _workflows.StartAsync(workflowId);
        await WaitingAsync(execution);

        var refused = await execution.SignalAsync(Signal("approval", new JsonObject { ["approved"] = "yes" }));
        var still = await execution.GetAsync();
        var taken = await execution.SignalAsync(Signal("approval", new JsonObject { ["approved"] = true }));
        var done = await TerminalAsync(execution);

        Assert.Equal(SignalOutcome.Invalid, refused.Outcome);
        Assert.Contains(refused.Problems, p => p.Pointer == "/approved");
        Assert.Equal(ExecutionStatus.Waiting, still!.Status);
        Assert.Equal(SignalOutcome.Accepted, taken.Outcome);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
    }

    [Fact]
    public async Task TheSameIdempotencyKeyIsAcceptedOnceEvenAfterTheRunEnded()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["ask"] = Wait("approval") });
        var execution = await _workflows.StartAsync(workflowId);
        await WaitingAsync(execution);

        var first = await execution.SignalAsync(Signal("approval", new JsonObject { ["n"] = 1 }, key: "k-1"));
        await TerminalAsync(execution);
        var again = await execution.SignalAsync(Signal("approval", new JsonObject { ["n"] = 2 }, key: "k-1"));
        var other = await execution.SignalAsync(Signal("approval", new JsonObject { ["n"] = 3 }, key: "k-2"));

        Assert.Equal(SignalOutcome.Accepted, first.Outcome);
        Assert.Equal(SignalOutcome.Duplicate, again.Outcome);
        Assert.Equal((SignalOutcome.Finished, ExecutionStatus.Succeeded), (other.Outcome, other.Status));
        Assert.Single(await EventsAsync(execution), e => e.Type == EventTypes.ExecutionSignaled);
    }

    [Fact]
    public async Task AnUnknownExecutionIsNotFoundAndTheBufferIsBounded()
    {
        var unknown = await fixture.Grains.GetGrain<IExecutionGrain>(NewId("none")).SignalAsync(Signal("x", null));
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["busy"] = Node("test.block") });
        var execution = await _workflows.StartAsync(workflowId);

        var outcomes = new List<SignalOutcome>();
        for (var i = 0; i <= ClusterFixture.MaxBufferedSignals; i++)
        {
            outcomes.Add((await execution.SignalAsync(Signal("later", new JsonObject { ["i"] = i }))).Outcome);
        }

        await execution.CancelAsync("test over");

        Assert.Equal(SignalOutcome.NotFound, unknown.Outcome);
        Assert.All(outcomes.Take(ClusterFixture.MaxBufferedSignals), o => Assert.Equal(SignalOutcome.Accepted, o));
        Assert.Equal(SignalOutcome.BufferFull, outcomes[^1]);
    }
}
