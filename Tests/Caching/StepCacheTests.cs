using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Caching;

/// <summary>A node's <c>cache</c> on the test cluster, whose cache entries read <see cref="StepCacheClock"/>.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StepCacheTests(ClusterFixture fixture)
{
    private readonly Runs _workflows = new(fixture.Grains);

    private static JsonObject Cached(JsonObject node, string ttl = "1h", string? key = "${{ input.q }}")
    {
        node["cache"] = key is null ? new JsonObject { ["ttl"] = ttl } : new JsonObject { ["ttl"] = ttl, ["key"] = key };
        return node;
    }

    private static JsonObject Question(string q) => new() { ["q"] = q };

    private async Task<(IExecutionGrain Execution, ExecutionSnapshot Snapshot)> RunAsync(string workflowId, JsonNode? input, string? executionId = null)
    {
        var execution = await _workflows.StartAsync(workflowId, input, executionId);
        return (execution, await TerminalAsync(execution));
    }

    private static async Task<JsonNode?> CompletedDataAsync(IExecutionGrain execution, string nodeId)
    {
        var completed = Assert.Single(await EventsAsync(execution), e => e.Type == EventTypes.NodeCompleted && e.NodeId == nodeId);
        return JsonNode.Parse(completed.DataJson!);
    }

    private static string? Ran(ExecutionSnapshot snapshot, string nodeId) => JsonNode.Parse(snapshot.ResultJson!)![nodeId]?["ran"]?.GetValue<string>();

    [Fact]
    public async Task TheSameKeyWithinTheTtlReusesTheOutputWithoutRunningTheStep()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Cached(Node("test.count")), ["b"] = Node("test.count") });

        var (first, firstSnapshot) = await RunAsync(workflowId, Question("x"));
        var (second, secondSnapshot) = await RunAsync(workflowId, Question("x"));

        var secondId = second.GetPrimaryKeyString();
        Assert.Equal(ExecutionStatus.Succeeded, secondSnapshot.Status);
        Assert.Equal(1, TestSteps.RunCountFor(first.GetPrimaryKeyString(), "a"));
        Assert.Equal(0, TestSteps.RunCountFor(secondId, "a"));
        Assert.Equal(1, TestSteps.RunCountFor(secondId, "b")); // only the cached node is skipped
        Assert.Equal(Ran(firstSnapshot, "a"), Ran(secondSnapshot, "a"));
        var hit = await CompletedDataAsync(second, "a");
        Assert.True(hit!["cached"]!.GetValue<bool>());
        Assert.Equal(Ran(firstSnapshot, "a"), hit["output"]!["ran"]!.GetValue<string>());
        Assert.Null((await CompletedDataAsync(first, "a"))!["cached"]);
        Assert.Null((await CompletedDataAsync(second, "b"))!["cached"]);
        var events = await EventsAsync(second);
        AssertGapFree(events);
        Assert.Single(events, e => e.Type == EventTypes.NodeStarted && e.NodeId == "a");
    }

    [Fact]
    public async Task ADifferentKeyRunsTheStepAgain()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Cached(Node("test.count")) });

        await RunAsync(workflowId, Question("x"));
        var (second, snapshot) = await RunAsync(workflowId, Question("y"));

        Assert.Equal(ExecutionStatus.Succeeded, snapshot.Status);
        Assert.Equal(1, TestSteps.RunCountFor(second.GetPrimaryKeyString(), "a"));
        Assert.Null((await CompletedDataAsync(second, "a"))!["cached"]);
    }

    [Fact]
    public async Task WithoutAKeyTheRenderedSettingsAreTheKey()
    {
        var node = Cached(Node("test.count", new JsonObject { ["q"] = "${{ input.q }}" }), key: null);
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = node });

        await RunAsync(workflowId, Question("x"));
        var (same, _) = await RunAsync(workflowId, Question("x"));
        var (other, _) = await RunAsync(workflowId, Question("y"));

        Assert.Equal(0, TestSteps.RunCountFor(same.GetPrimaryKeyString(), "a"));
        Assert.Equal(1, TestSteps.RunCountFor(other.GetPrimaryKeyString(), "a"));
    }

    [Fact]
    public async Task TheSameKeyOnAnotherNodeIsAnotherEntry()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Cached(Node("test.count")), ["b"] = Cached(Node("test.count")) });

        var (execution, _) = await RunAsync(workflowId, Question("x"));

        Assert.Equal(1, TestSteps.RunCountFor(execution.GetPrimaryKeyString(), "b"));
    }

    [Fact]
    public async Task AnEntryPastItsTtlIsAMissAndTheStepRunsAgain()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Cached(Node("test.count"), ttl: "10m") });
        await RunAsync(workflowId, Question("x"));

        StepCacheClock.Time.Advance(TimeSpan.FromMinutes(9));
        var (within, _) = await RunAsync(workflowId, Question("x"));
        StepCacheClock.Time.Advance(TimeSpan.FromMinutes(2));
        var (after, _) = await RunAsync(workflowId, Question("x"));
        var (refreshed, _) = await RunAsync(workflowId, Question("x"));

        Assert.Equal(0, TestSteps.RunCountFor(within.GetPrimaryKeyString(), "a"));
        Assert.Equal(1, TestSteps.RunCountFor(after.GetPrimaryKeyString(), "a"));
        Assert.Null((await CompletedDataAsync(after, "a"))!["cached"]);
        Assert.Equal(0, TestSteps.RunCountFor(refreshed.GetPrimaryKeyString(), "a")); // the miss stored a fresh entry
    }

    [Fact]
    public async Task AnotherTenantsSameKeyMisses()
    {
        var workflowId = NewId("wf");
        var definition = new JsonObject
        {
            ["id"] = workflowId,
            ["start"] = "a",
            ["nodes"] = new JsonObject { ["a"] = Cached(Node("test.count")) },
        }.ToJsonString();
        foreach (var tenant in new[] { TenantKey.DefaultTenant, "cache-other" })
        {
            Assert.True((await fixture.Grains.GetGrain<IWorkflowDefinitionGrain>(TenantKey.Scope(tenant, workflowId)).PublishAsync(definition)).IsValid);
        }

        await RunAsync(workflowId, Question("x"));
        var (other, snapshot) = await RunAsync(workflowId, Question("x"), TenantKey.Scope("cache-other", NewId("ex")));
        var (again, _) = await RunAsync(workflowId, Question("x"));

        Assert.Equal(ExecutionStatus.Succeeded, snapshot.Status);
        Assert.Equal(1, TestSteps.RunCountFor(other.GetPrimaryKeyString(), "a"));
        Assert.Equal(0, TestSteps.RunCountFor(again.GetPrimaryKeyString(), "a"));
    }

    [Fact]
    public async Task AFailedStepIsNotCached()
    {
        var node = Cached(Node("test.flaky", new JsonObject { ["failures"] = 1 }));
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = node });

        var (_, first) = await RunAsync(workflowId, Question("x"));
        var (second, snapshot) = await RunAsync(workflowId, Question("x"));

        Assert.Equal(ExecutionStatus.Failed, first.Status);
        Assert.Equal(ExecutionStatus.Failed, snapshot.Status);
        Assert.Equal(1, TestSteps.RunCountFor(second.GetPrimaryKeyString(), "a"));
    }

    [Fact]
    public async Task ASuccessAfterARetryIsCachedAndTheRetryDoesNotConsultTheCache()
    {
        var node = Cached(Node("test.flaky", new JsonObject { ["failures"] = 1 }, retry: new JsonObject { ["maxAttempts"] = 2, ["initialDelay"] = "10ms" }));
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = node });

        var (first, firstSnapshot) = await RunAsync(workflowId, Question("x"));
        var (second, secondSnapshot) = await RunAsync(workflowId, Question("x"));

        Assert.Equal(ExecutionStatus.Succeeded, firstSnapshot.Status);
        Assert.Equal(2, TestSteps.RunCountFor(first.GetPrimaryKeyString(), "a"));
        Assert.Equal(0, TestSteps.RunCountFor(second.GetPrimaryKeyString(), "a"));
        Assert.Equal(2, JsonNode.Parse(secondSnapshot.ResultJson!)!["a"]!["attempt"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnOutputOverTheSizeLimitIsNotCachedAndTheLogSaysWhy()
    {
        var big = new string('x', 4096);
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Cached(Node("test.concurrency", new JsonObject { ["value"] = big })) });

        var (_, firstSnapshot) = await RunAsync(workflowId, Question("x"));
        var (second, _) = await RunAsync(workflowId, Question("x"));

        Assert.Equal(ExecutionStatus.Succeeded, firstSnapshot.Status);
        Assert.Null((await CompletedDataAsync(second, "a"))!["cached"]);
        Assert.Contains(CapturedLogs.Provider.Lines, l => l.Contains("not cached", StringComparison.Ordinal) && l.Contains("over AgentOrleans:StepCache:MaxEntryBytes of 2048", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AKeyThatCannotBeRenderedFailsTheNodeWithoutRunningTheStep()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject { ["a"] = Cached(Node("test.count"), key: "${{ input.q.toUpperCase() }}") });

        var (execution, snapshot) = await RunAsync(workflowId, new JsonObject());

        Assert.Equal(ExecutionStatus.Failed, snapshot.Status);
        Assert.Equal("ExpressionError", snapshot.Error!.Type);
        Assert.Equal(0, TestSteps.RunCountFor(execution.GetPrimaryKeyString(), "a"));
    }

    [Fact]
    public async Task AResumedRunDoesNotLookACachedNodeUpAgain()
    {
        var workflowId = await _workflows.PublishAsync(new JsonObject
        {
            ["a"] = Cached(Node("test.count"), key: "always"),
            ["long"] = Node("test.block", new JsonObject { ["ms"] = "${{ input.ms }}" }),
        });
        await RunAsync(workflowId, new JsonObject { ["ms"] = 1 });
        var execution = await _workflows.StartAsync(workflowId, new JsonObject { ["ms"] = 60_000 });
        var id = execution.GetPrimaryKeyString();
        await SignalAsync(TestSteps.StartedSignal(id, "long"), "the step after the cached node to start");

        // Past the ttl, a look-up on resume would miss and run the step; the checkpoint is past the node, so none happens.
        StepCacheClock.Time.Advance(TimeSpan.FromHours(2));
        // Asked again until the step stops: a CI run saw one request to deactivate, made while the silo was loaded, not stop it.
        var stopped = TestSteps.CancellationSignal(id, "long");
        Assert.True(
            await Polling.UntilAsync(
                async () =>
                {
                    await execution.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
                    try
                    {
                        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(2));
                        return true;
                    }
                    catch (TimeoutException)
                    {
                        return false;
                    }
                },
                Deadline,
                TimeSpan.Zero),
            $"expected the deactivation to stop the step within {Deadline}");
        TestSteps.Started.TryRemove($"{id}/long", out _);
        await execution.WakeAsync();
        await SignalAsync(TestSteps.StartedSignal(id, "long"), "the in-flight step to run again after reactivation");
        await execution.CancelAsync("test over");
        await TerminalAsync(execution);

        Assert.Equal(0, TestSteps.RunCountFor(id, "a"));
        var completed = Assert.Single(await EventsAsync(execution), e => e.Type == EventTypes.NodeCompleted && e.NodeId == "a");
        Assert.True(JsonNode.Parse(completed.DataJson!)!["cached"]!.GetValue<bool>());
    }
}
