using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Steps.Llm;

/// <summary>The llm step in the cluster against the in-process simulator, over real HTTP.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LlmStepExecutionTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    private async Task<IExecutionGrain> StartAsync(string prompt, string? model = null, JsonObject? retry = null)
    {
        var with = new JsonObject { ["prompt"] = prompt };
        if (model is not null)
        {
            with["model"] = model;
        }

        var workflowId = await _workflows.PublishAsync(new JsonObject { ["ask"] = Node("llm", with, retry: retry) });
        return await _workflows.StartAsync(workflowId);
    }

    [Fact]
    public async Task TokenEventsArriveInOrderAndTheOutputIsTheirConcatenation()
    {
        var marker = NewId("m");
        var prompt = $"one two three four five six seven eight {marker}";

        var execution = await StartAsync(prompt);
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var output = LlmEvents.Output(done, "ask");
        Assert.Equal($"You said: {prompt}", output["content"]!.GetValue<string>());
        Assert.Equal(output["content"]!.GetValue<string>(), LlmEvents.Tokens(await EventsAsync(execution)));
        Assert.Equal(11, output["usage"]!["completionTokens"]!.GetValue<int>());
        Assert.Equal("sim-fast", output["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task CancellingMidStreamAbortsTheRequestAndEndsTheExecutionQuickly()
    {
        var marker = NewId("m");
        var execution = await StartAsync($"{string.Join(' ', Enumerable.Repeat("word", 40))} {marker}", model: "sim-slow");
        await EventAsync(execution, EventTypes.NodeProgress, "ask");

        var cancelledAt = DateTime.UtcNow;
        await execution.CancelAsync("enough");
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Cancelled, done.Status);
        Assert.True(DateTime.UtcNow - cancelledAt < TimeSpan.FromSeconds(2), $"expected the execution to end within 2 s of the cancel; took {DateTime.UtcNow - cancelledAt}");
        var request = await fixture.Simulator.WaitForAsync(marker, r => r.ClientClosed, "the client close the connection mid-stream");
        Assert.False(request.Completed);
    }

    [Fact]
    public async Task ADroppedStreamIsRetriedAndReadersAreToldToDiscardThePartialOutput()
    {
        var marker = NewId("m");
        var prompt = $"alpha beta gamma delta epsilon {marker}";

        var execution = await StartAsync(prompt, model: "sim-drop", retry: new JsonObject { ["maxAttempts"] = 3, ["initialDelay"] = "10ms" });
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var events = await EventsAsync(execution);
        var retrying = JsonNode.Parse(Assert.Single(events, e => e.Type == EventTypes.NodeRetrying).DataJson!)!;
        Assert.Equal("StreamInterrupted", retrying["type"]!.GetValue<string>());
        Assert.True(retrying["discardProgress"]!.GetValue<bool>());
        Assert.NotEmpty(LlmEvents.Tokens(events, attempt: 1));
        Assert.Equal($"You said: {prompt}", LlmEvents.Output(done, "ask")["content"]!.GetValue<string>());
        Assert.Equal($"You said: {prompt}", LlmEvents.Tokens(events, attempt: 2));
        Assert.Equal(2, fixture.Simulator.RequestsWith(marker).Count);
    }

    [Fact]
    public async Task AnAttemptResumedAfterARestartTellsReadersToDiscardWhatItStreamedBefore()
    {
        var marker = NewId("m");
        var prompt = $"one two three four five six {marker}";
        var execution = await StartAsync(prompt, model: "sim-slow");
        await EventAsync(execution, EventTypes.NodeProgress, "ask");

        // The activation ends mid-stream (as on a lost silo): the same attempt runs again and streams from the start.
        await execution.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await execution.WakeAsync();
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var events = await EventsAsync(execution);
        var resumed = Assert.Single(events, e => e.Type == EventTypes.NodeStarted && e.DataJson?.Contains("resumed") == true);
        Assert.True(JsonNode.Parse(resumed.DataJson!)!["discardProgress"]!.GetValue<bool>());
        Assert.NotEmpty(LlmEvents.Tokens(events.Where(e => e.Seq < resumed.Seq)));
        Assert.Equal($"You said: {prompt}", LlmEvents.Tokens(events.Where(e => e.Seq > resumed.Seq)));
        Assert.Equal($"You said: {prompt}", LlmEvents.Output(done, "ask")["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task AProviderRateLimitDelaysTheNextAttemptByAtLeastRetryAfter()
    {
        var marker = NewId("m");

        var execution = await StartAsync($"hello {marker}", model: "sim-429", retry: new JsonObject { ["maxAttempts"] = 2, ["initialDelay"] = "10ms" });
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var events = await EventsAsync(execution);
        var retrying = Assert.Single(events, e => e.Type == EventTypes.NodeRetrying);
        var data = JsonNode.Parse(retrying.DataJson!)!;
        Assert.Equal("ProviderRateLimited", data["type"]!.GetValue<string>());
        Assert.True(data["delayMs"]!.GetValue<long>() >= 1000, $"expected a delay of at least 1000 ms; saw {data["delayMs"]}");
        var requests = fixture.Simulator.RequestsWith(marker);
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        var gap = requests[1].ReceivedAt - requests[0].ReceivedAt;
        Assert.True(gap >= TimeSpan.FromSeconds(1), $"expected the retry at least 1 s after the 429; it came after {gap}");
    }
}
