using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.LlmSimulator;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Executions.SignalTests;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Steps.Llm;

/// <summary>
/// Tools with <c>approval</c>: the agent waits for a person before it runs them, each pending call decided by its own
/// <c>approval</c> signal; a rejection reaches the model as the call's result.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AgentApprovalTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    /// <summary>A tool that echoes its <c>query</c> argument as <c>{"sent": …}</c>.</summary>
    private static JsonObject EchoTool(string name, JsonNode? approval) => new()
    {
        ["name"] = name,
        ["approval"] = approval,
        ["step"] = new JsonObject { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject { ["sent"] = "${{ args.query }}" } } },
    };

    /// <summary>A tool that counts its runs by idempotency key (<c>{id}:agent:1:tool:{turn}:{call}</c>).</summary>
    private static JsonObject CountingTool(string name, JsonNode? approval) => new()
    {
        ["name"] = name,
        ["approval"] = approval,
        ["step"] = new JsonObject { ["type"] = "test.count" },
    };

    private async Task<IExecutionGrain> StartAgentAsync(string prompt, params JsonObject[] tools)
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["agent"] = Node("agent", new JsonObject { ["prompt"] = prompt, ["tools"] = new JsonArray(tools) }),
        });
        return await _workflows.StartAsync(workflowId);
    }

    /// <summary>Polls until the run waits for exactly <paramref name="count"/> approvals.</summary>
    private static async Task<ExecutionSnapshot> WaitingForApprovalsAsync(IExecutionGrain execution, int count)
    {
        var snapshot = await Polling.UntilAsync(
            execution.GetAsync,
            s => s?.Status == ExecutionStatus.Waiting && s.WaitingFor.Count(w => w.Approval is not null) == count,
            Deadline,
            TimeSpan.FromMilliseconds(20));
        Assert.True(
            snapshot?.Status == ExecutionStatus.Waiting && snapshot.WaitingFor.Count == count,
            $"expected the run to wait for {count} approvals; saw {snapshot?.Status} waiting for [{string.Join(", ", snapshot?.WaitingFor.Select(w => w.Approval?.ToolCallId ?? w.Signal) ?? [])}], error {snapshot?.Error?.Type} {snapshot?.Error?.Message}");
        return snapshot!;
    }

    private static SendSignal Decision(string toolCallId, bool approved, string? comment = null, JsonObject? arguments = null)
    {
        var payload = new JsonObject { ["toolCallId"] = toolCallId, ["approved"] = approved };
        if (comment is not null)
        {
            payload["comment"] = comment;
        }

        if (arguments is not null)
        {
            payload["arguments"] = arguments;
        }

        return Signal("approval", payload);
    }

    private static async Task<ExecutionSnapshot> SucceededAsync(IExecutionGrain execution)
    {
        var done = await TerminalAsync(execution);
        Assert.True(done.Status == ExecutionStatus.Succeeded, $"expected success; saw {done.Status}: {done.Error?.Type} {done.Error?.Message}");
        return done;
    }

    /// <summary>The tool messages of the model's last request with <paramref name="marker"/>: tool call id → content.</summary>
    private Dictionary<string, JsonNode?> ToolMessagesSeenLast(string marker) =>
        fixture.Simulator.RequestsWith(marker)[^1].Body!["messages"]!.AsArray()
            .Where(m => m!["role"]!.GetValue<string>() == "tool")
            .ToDictionary(m => m!["tool_call_id"]!.GetValue<string>(), m => JsonNode.Parse(m!["content"]!.GetValue<string>()));

    private static int ToolMessages(SimulatedRequest request) =>
        request.Body?["messages"]?.AsArray().Count(m => m?["role"]?.GetValue<string>() == "tool") ?? 0;

    [Fact]
    public async Task AnApprovedCallRunsAndTheModelSeesItsResult()
    {
        var marker = NewId("m");
        var execution = await StartAgentAsync($"use tool send {marker}", EchoTool("send", true));

        var waiting = await WaitingForApprovalsAsync(execution, 1);
        var approval = waiting.WaitingFor[0].Approval!;
        var answer = await execution.SignalAsync(Decision(approval.ToolCallId, approved: true, comment: "go ahead"));
        var done = await SucceededAsync(execution);

        Assert.Equal(("agent", "approval", "send"), (waiting.WaitingFor[0].NodeId, waiting.WaitingFor[0].Signal, approval.Name));
        Assert.Equal("simulated", JsonNode.Parse(approval.ArgumentsJson)!["query"]!.GetValue<string>());
        Assert.Equal(SignalOutcome.Accepted, answer.Outcome);
        var call = LlmEvents.Output(done, "agent")["toolCalls"]![0]!;
        Assert.Equal("simulated", call["result"]!["sent"]!.GetValue<string>());
        Assert.Equal((true, "go ahead", "tester"), (call["approval"]!["approved"]!.GetValue<bool>(), call["approval"]!["comment"]!.GetValue<string>(), call["approval"]!["by"]!.GetValue<string>()));
        Assert.Equal("simulated", ToolMessagesSeenLast(marker)[approval.ToolCallId]!["sent"]!.GetValue<string>());

        // The turn that asked for the tool is not asked again after the wait: two model calls in all.
        Assert.Equal(2, fixture.Simulator.RequestsWith(marker).Count);
        var events = await EventsAsync(execution);
        AssertGapFree(events);
        var waited = JsonNode.Parse(Assert.Single(events, e => e.Type == EventTypes.NodeWaiting).DataJson!)!;
        Assert.Equal(("approval", approval.ToolCallId, "send"), (waited["signal"]!.GetValue<string>(), waited["approval"]!["toolCallId"]!.GetValue<string>(), waited["approval"]!["name"]!.GetValue<string>()));
        var signaled = JsonNode.Parse(Assert.Single(events, e => e.Type == EventTypes.ExecutionSignaled).DataJson!)!;
        Assert.Equal((approval.ToolCallId, true), (signaled["approval"]!["toolCallId"]!.GetValue<string>(), signaled["approval"]!["approved"]!.GetValue<bool>()));

        // Each chunk once: the replay after the wait streams nothing again.
        var chunks = LlmEvents.Chunks(events);
        Assert.Single(chunks, c => c["toolCall"] is not null);
        Assert.Single(chunks, c => c["toolResult"] is not null);
        Assert.Equal(LlmEvents.Output(done, "agent")["content"]!.GetValue<string>(), LlmEvents.Tokens(events));
    }

    [Fact]
    public async Task ARejectedCallDoesNotRunAndTheModelSeesRejected()
    {
        var marker = NewId("m");
        var execution = await StartAgentAsync($"use tool wire {marker}", CountingTool("wire", true));

        var waiting = await WaitingForApprovalsAsync(execution, 1);
        var toolCallId = waiting.WaitingFor[0].Approval!.ToolCallId;
        await execution.SignalAsync(Decision(toolCallId, approved: false, comment: "not to that account"));
        var done = await SucceededAsync(execution);

        var rejected = new JsonObject { ["error"] = new JsonObject { ["type"] = "Rejected", ["message"] = "not to that account" } };
        Assert.True(JsonNode.DeepEquals(rejected, ToolMessagesSeenLast(marker)[toolCallId]), ToolMessagesSeenLast(marker)[toolCallId]?.ToJsonString());
        Assert.Equal(0, Infrastructure.TestSteps.RunCount($"{execution.GetPrimaryKeyString()}:agent:1:tool:1:0"));
        var call = LlmEvents.Output(done, "agent")["toolCalls"]![0]!;
        Assert.Equal("Rejected", call["result"]!["error"]!["type"]!.GetValue<string>());
        Assert.False(call["approval"]!["approved"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AnApprovalWithEditedArgumentsRunsTheToolWithThem()
    {
        var marker = NewId("m");
        var execution = await StartAgentAsync($"use tool send {marker}", EchoTool("send", true));

        var waiting = await WaitingForApprovalsAsync(execution, 1);
        var toolCallId = waiting.WaitingFor[0].Approval!.ToolCallId;
        await execution.SignalAsync(Decision(toolCallId, approved: true, arguments: new JsonObject { ["query"] = "edited by a person" }));
        var done = await SucceededAsync(execution);

        var call = LlmEvents.Output(done, "agent")["toolCalls"]![0]!;
        Assert.Equal("edited by a person", call["result"]!["sent"]!.GetValue<string>());
        Assert.Equal("edited by a person", call["arguments"]!["query"]!.GetValue<string>());
        Assert.Equal("simulated", call["modelArguments"]!["query"]!.GetValue<string>());
        Assert.Equal("edited by a person", ToolMessagesSeenLast(marker)[toolCallId]!["sent"]!.GetValue<string>());
        var streamed = LlmEvents.Chunks(await EventsAsync(execution)).Single(c => c["toolCall"] is not null);
        Assert.Equal("edited by a person", streamed["toolCall"]!["arguments"]!["query"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TwoApprovalsPendingInOneTurnAreDecidedEachOnItsOwnInEitherOrder(bool firstCallFirst)
    {
        var marker = NewId("m");
        var execution = await StartAgentAsync($"use tools pay+notify {marker}", CountingTool("pay", true), CountingTool("notify", true));
        var id = execution.GetPrimaryKeyString();

        var waiting = await WaitingForApprovalsAsync(execution, 2);
        var calls = waiting.WaitingFor.Select(w => w.Approval!).ToList();
        Assert.Equal(["pay", "notify"], calls.Select(c => c.Name));
        var (first, second) = firstCallFirst ? (calls[0], calls[1]) : (calls[1], calls[0]);
        var firstKey = $"{id}:agent:1:tool:1:{(firstCallFirst ? 0 : 1)}";
        var secondKey = $"{id}:agent:1:tool:1:{(firstCallFirst ? 1 : 0)}";

        // The first decision runs its call at once; the run then waits for the other one alone.
        var approved = await execution.SignalAsync(Decision(first.ToolCallId, approved: true));
        var stillWaiting = await WaitingForApprovalsAsync(execution, 1);
        Assert.True(await Polling.UntilAsync(() => Infrastructure.TestSteps.RunCount(firstKey) == 1, Deadline, TimeSpan.FromMilliseconds(20)), "expected the approved call to run before the other was decided");
        Assert.Equal(second.ToolCallId, stillWaiting.WaitingFor.Single().Approval!.ToolCallId);
        Assert.Equal(0, Infrastructure.TestSteps.RunCount(secondKey));
        Assert.Single(fixture.Simulator.RequestsWith(marker));

        var rejected = await execution.SignalAsync(Decision(second.ToolCallId, approved: false, comment: "no"));
        var done = await SucceededAsync(execution);

        Assert.Equal((SignalOutcome.Accepted, SignalOutcome.Accepted), (approved.Outcome, rejected.Outcome));
        Assert.Equal((1, 0), (Infrastructure.TestSteps.RunCount(firstKey), Infrastructure.TestSteps.RunCount(secondKey)));
        var output = LlmEvents.Output(done, "agent");
        Assert.Equal(["pay", "notify"], output["toolCalls"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var seen = ToolMessagesSeenLast(marker);
        Assert.NotNull(seen[first.ToolCallId]!["ran"]);
        Assert.Equal("Rejected", seen[second.ToolCallId]!["error"]!["type"]!.GetValue<string>());
        Assert.Equal(2, fixture.Simulator.RequestsWith(marker).Count);
        Assert.Equal(2, output["turns"]!.GetValue<int>());
    }

    [Fact]
    public async Task OnlyTheCallsThatNeedApprovalWaitTheOthersOfTheTurnRunAtOnce()
    {
        var marker = NewId("m");
        var execution = await StartAgentAsync($"use tools look+pay {marker}", CountingTool("look", null), CountingTool("pay", true));
        var id = execution.GetPrimaryKeyString();

        var waiting = await WaitingForApprovalsAsync(execution, 1);
        var ranBeforeDecision = Infrastructure.TestSteps.RunCount($"{id}:agent:1:tool:1:0");
        await execution.SignalAsync(Decision(waiting.WaitingFor[0].Approval!.ToolCallId, approved: true));
        var done = await SucceededAsync(execution);

        Assert.Equal("pay", waiting.WaitingFor[0].Approval!.Name);
        Assert.Equal(1, ranBeforeDecision);
        Assert.Equal((1, 1), (Infrastructure.TestSteps.RunCount($"{id}:agent:1:tool:1:0"), Infrastructure.TestSteps.RunCount($"{id}:agent:1:tool:1:1")));
        Assert.Equal(2, LlmEvents.Output(done, "agent")["toolCalls"]!.AsArray().Count);
    }

    [Fact]
    public async Task AnApprovalForAToolCallNotPendingOrOfTheWrongShapeIsRefusedAndTheRunKeepsWaiting()
    {
        var marker = NewId("m");
        var execution = await StartAgentAsync($"use tool send {marker}", EchoTool("send", true));
        var waiting = await WaitingForApprovalsAsync(execution, 1);
        var toolCallId = waiting.WaitingFor[0].Approval!.ToolCallId;

        var unknown = await execution.SignalAsync(Decision("call_nobody_made", approved: true));
        var malformed = await execution.SignalAsync(Signal("approval", new JsonObject { ["approved"] = "yes", ["arguments"] = "all", ["extra"] = 1 }));
        var still = await execution.GetAsync();
        var taken = await execution.SignalAsync(Decision(toolCallId, approved: true));
        await SucceededAsync(execution);

        Assert.Equal(SignalOutcome.Invalid, unknown.Outcome);
        var problem = Assert.Single(unknown.Problems);
        Assert.Equal("/toolCallId", problem.Pointer);
        Assert.Contains("call_nobody_made", problem.Message, StringComparison.Ordinal);
        Assert.Contains(toolCallId, problem.Message, StringComparison.Ordinal);
        Assert.Equal(SignalOutcome.Invalid, malformed.Outcome);
        Assert.Equal(["/approved", "/arguments", "/extra", "/toolCallId"], malformed.Problems.Select(p => p.Pointer).Order(StringComparer.Ordinal));
        Assert.Equal(ExecutionStatus.Waiting, still!.Status);
        Assert.Equal(toolCallId, still.WaitingFor.Single().Approval!.ToolCallId);
        Assert.Equal(SignalOutcome.Accepted, taken.Outcome);
        var events = await EventsAsync(execution);
        Assert.Single(events, e => e.Type == EventTypes.ExecutionSignaled);
    }

    [Fact]
    public async Task ACallNobodyApprovesInTimeReachesTheModelAsApprovalTimedOut()
    {
        var marker = NewId("m");
        var execution = await StartAgentAsync($"use tool wire {marker}", CountingTool("wire", new JsonObject { ["timeout"] = "500ms" }));

        var waiting = await WaitingForApprovalsAsync(execution, 1);
        var done = await SucceededAsync(execution);

        var until = waiting.WaitingFor[0].Until;
        Assert.NotNull(until);
        var toolCallId = waiting.WaitingFor[0].Approval!.ToolCallId;
        Assert.Equal("ApprovalTimedOut", ToolMessagesSeenLast(marker)[toolCallId]!["error"]!["type"]!.GetValue<string>());
        Assert.Equal(0, Infrastructure.TestSteps.RunCount($"{execution.GetPrimaryKeyString()}:agent:1:tool:1:0"));
        Assert.True(LlmEvents.Output(done, "agent")["toolCalls"]![0]!["approval"]!["timedOut"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ARunWaitingForAnApprovalLeavesMemoryAndTheApprovalBringsItBack()
    {
        var marker = NewId("m");
        var execution = await StartAgentAsync($"use tools pay+notify {marker}", CountingTool("pay", true), CountingTool("notify", true));
        var id = execution.GetPrimaryKeyString();
        var calls = (await WaitingForApprovalsAsync(execution, 2)).WaitingFor.Select(w => w.Approval!.ToolCallId).ToList();

        Assert.True(await _workflows.ActivationGoneAsync(execution), $"expected the waiting run to leave memory within {Deadline}");
        var first = await execution.SignalAsync(Decision(calls[0], approved: true));
        await WaitingForApprovalsAsync(execution, 1);
        Assert.True(await _workflows.ActivationGoneAsync(execution), "expected the run, waiting again, to leave memory again");
        var stored = await execution.GetAsync();
        var second = await execution.SignalAsync(Decision(calls[1], approved: true));
        var done = await SucceededAsync(execution);

        Assert.Equal((SignalOutcome.Accepted, SignalOutcome.Accepted), (first.Outcome, second.Outcome));
        Assert.Equal(calls[1], stored!.WaitingFor.Single().Approval!.ToolCallId);
        Assert.Equal((1, 1), (Infrastructure.TestSteps.RunCount($"{id}:agent:1:tool:1:0"), Infrastructure.TestSteps.RunCount($"{id}:agent:1:tool:1:1")));
        Assert.Equal(2, fixture.Simulator.RequestsWith(marker).Count);
        var events = await EventsAsync(execution);
        AssertGapFree(events);
        Assert.DoesNotContain(events, e => e.Type == EventTypes.NodeStarted && e.DataJson?.Contains("resumed", StringComparison.Ordinal) == true);
        Assert.Equal(2, LlmEvents.Chunks(events).Count(c => c["toolResult"] is not null));
        Assert.Equal(2, LlmEvents.Output(done, "agent")["turns"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnAgentLostAfterAnApprovalRepeatsNeitherTheModelTurnNorTheApprovedTool()
    {
        var marker = NewId("m");
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["agent"] = Node("agent", new JsonObject
            {
                ["prompt"] = $"please use tool pay {marker}",
                ["model"] = "sim-slow",
                ["tools"] = new JsonArray(CountingTool("pay", true)),
            }),
        });
        var execution = await _workflows.StartAsync(workflowId);
        var id = execution.GetPrimaryKeyString();
        var toolCallId = (await WaitingForApprovalsAsync(execution, 1)).WaitingFor[0].Approval!.ToolCallId;

        // The second turn streams slowly: the activation is lost inside it, after the approved tool ran.
        await execution.SignalAsync(Decision(toolCallId, approved: true));
        await fixture.Simulator.WaitForAsync(marker, r => ToolMessages(r) == 1, "the turn after the approved tool");
        await execution.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await execution.WakeAsync();
        var done = await SucceededAsync(execution);

        var requests = fixture.Simulator.RequestsWith(marker);
        Assert.Equal(1, requests.Count(r => ToolMessages(r) == 0));
        Assert.InRange(requests.Count(r => ToolMessages(r) == 1), 1, 2);
        Assert.Equal(1, Infrastructure.TestSteps.RunCount($"{id}:agent:1:tool:1:0"));
        Assert.True(LlmEvents.Output(done, "agent")["toolCalls"]![0]!["approval"]!["approved"]!.GetValue<bool>());

        // After the resume the stream is whole again: the replayed call, then the last turn's tokens.
        var events = await EventsAsync(execution);
        var resumed = events.Last(e => e.Type == EventTypes.NodeStarted && e.DataJson?.Contains("resumed", StringComparison.Ordinal) == true);
        var after = LlmEvents.Chunks(events.Where(e => e.Seq > resumed.Seq));
        Assert.Single(after, c => c["toolResult"] is not null);
        Assert.Equal(LlmEvents.Output(done, "agent")["content"]!.GetValue<string>(), LlmEvents.Tokens(events.Where(e => e.Seq > resumed.Seq)));
    }

    [Fact]
    public async Task ACancelledRunWaitingForAnApprovalEndsCancelled()
    {
        var marker = NewId("m");
        var execution = await StartAgentAsync($"use tool pay {marker}", CountingTool("pay", true));
        await WaitingForApprovalsAsync(execution, 1);

        await execution.CancelAsync("changed my mind");
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Cancelled, done.Status);
        Assert.Empty(done.WaitingFor);
        Assert.Equal(0, Infrastructure.TestSteps.RunCount($"{execution.GetPrimaryKeyString()}:agent:1:tool:1:0"));
    }
}
