using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Tests.Infrastructure;
using AgentOrleans.Tests.Steps.Llm;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Usage;

/// <summary>Tokens and cost of model calls, per model, in status, in node.completed and in metrics; children rolled up; a resumed run counted once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class UsageAccountingTests(ClusterFixture fixture)
{
    private readonly UsageRuns _runs = new(fixture.Grains);

    [Fact]
    public async Task AModelCallsTokensAndCostShowInStatusPerModelOnNodeCompletedAndInMetrics()
    {
        var marker = NewId("m");
        using var tokens = new TokenCounter();
        var workflowId = await _runs.PublishAsync(new JsonObject { ["ask"] = UsageRuns.Llm($"one two three {marker}") });

        var execution = await _runs.StartAsync(workflowId);
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var reported = LlmEvents.Output(done, "ask")["usage"]!;
        var model = Assert.Single(done.Usage.Models);
        Assert.Equal("sim-fast", model.Key);
        Assert.Equal(reported["promptTokens"]!.GetValue<int>(), model.Value.InputTokens);
        Assert.Equal(reported["completionTokens"]!.GetValue<int>(), model.Value.OutputTokens);
        Assert.Equal(1, model.Value.Calls);
        Assert.True(model.Value.InputTokens > 0 && model.Value.OutputTokens > 0, $"expected tokens both ways; saw {model.Value}");

        // Prices of the test cluster: 1000 per million in, 2000 per million out.
        Assert.Equal((model.Value.InputTokens * 0.001m) + (model.Value.OutputTokens * 0.002m), model.Value.Cost);

        var completed = JsonNode.Parse(Assert.Single(await EventsAsync(execution), e => e.Type == EventTypes.NodeCompleted).DataJson!)!;
        Assert.Equal(done.Usage.TotalTokens, completed["usage"]!["totalTokens"]!.GetValue<long>());
        Assert.Equal(model.Value.Cost, completed["usage"]!["models"]!["sim-fast"]!["cost"]!.GetValue<decimal>());

        Assert.Equal(model.Value.InputTokens, tokens.Sum(workflowId, "input"));
        Assert.Equal(model.Value.OutputTokens, tokens.Sum(workflowId, "output"));
        Assert.Equal([("sim-fast", TenantKey.DefaultTenant)], tokens.ModelsAndTenants(workflowId));
    }

    [Fact]
    public async Task AnAgentsToolWorkflowAndASubworkflowRollTheirUsageUpIntoTheParent()
    {
        var marker = NewId("m");
        var child = await _runs.PublishAsync(new JsonObject { ["ask"] = UsageRuns.Llm($"child words here {marker}", model: "sim-other") });
        var workflowId = await _runs.PublishAsync(new JsonObject
        {
            ["agent"] = UsageRuns.Agent($"use tool lookup {marker}", tool: new JsonObject { ["name"] = "lookup", ["workflowId"] = child }),
            ["sub"] = Node("subworkflow", new JsonObject { ["workflowId"] = child }),
        });

        var execution = await _runs.StartAsync(workflowId);
        var done = await TerminalAsync(execution);

        Assert.True(done.Status == ExecutionStatus.Succeeded, $"expected success; saw {done.Status}: {done.Error?.Type} {done.Error?.Message}");
        var children = (await EventsAsync(execution)).Where(e => e.Type == EventTypes.ChildStarted)
            .Select(e => JsonNode.Parse(e.DataJson!)!["executionId"]!.GetValue<string>())
            .ToList();
        Assert.Equal(2, children.Count);
        var childUsage = new List<ExecutionUsage>();
        foreach (var id in children)
        {
            childUsage.Add((await fixture.Grains.GetGrain<IExecutionGrain>(id).GetAsync())!.Usage);
        }

        // The agent's own two turns on the default model, and each child's one call on its own.
        Assert.Equal(2, done.Usage.Models["sim-fast"].Calls);
        Assert.Equal(2, done.Usage.Models["sim-other"].Calls);
        Assert.Equal(childUsage.Sum(u => u.TotalTokens), done.Usage.Models["sim-other"].TotalTokens);
        Assert.Equal(fixture.Simulator.RequestsWith(marker).Count(r => r.Completed), done.Usage.Calls);

        var completed = (await EventsAsync(execution)).Where(e => e.Type == EventTypes.NodeCompleted).ToDictionary(e => e.NodeId!, e => JsonNode.Parse(e.DataJson!)!["usage"]!);
        Assert.Equal(3, completed["agent"]["calls"]!.GetValue<int>());
        Assert.Equal(1, completed["sub"]["calls"]!.GetValue<int>());
        Assert.Equal(done.Usage.TotalTokens, completed["agent"]["totalTokens"]!.GetValue<long>() + completed["sub"]["totalTokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task AnAgentResumedAfterItsActivationIsLostCountsEveryModelCallOnce()
    {
        var marker = NewId("m");
        var workflowId = await _runs.PublishAsync(new JsonObject
        {
            ["agent"] = UsageRuns.Agent($"use tool echo then answer in many words please {marker}", model: "sim-slow"),
        });
        var execution = await _runs.StartAsync(workflowId);
        await Polling.UntilAsync(
            async () => LlmEvents.Chunks(await EventsAsync(execution)).Any(c => c["toolResult"] is not null) && LlmEvents.Tokens(await EventsAsync(execution)).Length > 0,
            Deadline,
            TimeSpan.FromMilliseconds(20));

        // The first turn is journaled with its usage; the second is streaming when the activation goes.
        await execution.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await execution.WakeAsync();
        var done = await TerminalAsync(execution);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var requests = fixture.Simulator.RequestsWith(marker);
        Assert.Equal(requests.Count(r => r.Completed), done.Usage.Calls);
        Assert.Equal(LlmEvents.Output(done, "agent")["usage"]!["promptTokens"]!.GetValue<long>(), done.Usage.InputTokens);
    }

    /// <summary>The <c>agentorleans.llm.tokens</c> counter of every host in the process, by workflow and direction.</summary>
    private sealed class TokenCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentBag<(string? Workflow, string? Direction, string? Model, string? Tenant, long Value)> _seen = [];

        public TokenCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "agentorleans.llm.tokens")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var named = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var tag in tags)
                {
                    named[tag.Key] = tag.Value as string;
                }

                _seen.Add((named.GetValueOrDefault("workflow"), named.GetValueOrDefault("direction"), named.GetValueOrDefault("model"), named.GetValueOrDefault("tenant"), value));
            });
            _listener.Start();
        }

        public long Sum(string workflow, string direction) => _seen.Where(s => s.Workflow == workflow && s.Direction == direction).Sum(s => s.Value);

        public List<(string?, string?)> ModelsAndTenants(string workflow) => _seen.Where(s => s.Workflow == workflow).Select(s => (s.Model, s.Tenant)).Distinct().ToList();

        public void Dispose() => _listener.Dispose();
    }
}
