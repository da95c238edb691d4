using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrleans.Tests.Executions;

/// <summary>One attempt run outside a grain, with a built-in step.</summary>
public class AttemptRunnerTests
{
    private static readonly Lazy<CompiledWorkflow> Workflow = new(() => Definitions.Valid("""
        {"id":"w","start":"a",
         "nodes":{
           "a":{"type":"transform","with":{"set":{"greeting":"hello ${{ input.name }}"}}},
           "bad":{"type":"transform","with":{"set":{"x":"${{ input.missing.deeper }}"}}}},
         "edges":[{"from":"a","to":"bad"}]}
        """));

    private readonly ExecutionState _state = new();
    private readonly ExecutionOptions _options = new();
    private int _checkpoints;

    [Fact]
    public async Task AStepsResultIsItsOutcomeAndTheStepSawTheRenderedSettings()
    {
        var outcome = await RunAsync("a");

        var succeeded = Assert.IsType<AttemptOutcome.Succeeded>(outcome);
        Assert.Equal("""{"greeting":"hello Ada"}""", succeeded.Result.Output!.ToJsonString());
        Assert.False(_state.AttemptEmittedProgress);
        Assert.Equal(0, _checkpoints); // nothing streamed, nothing to flush
    }

    [Fact]
    public async Task AnOutputOverThePayloadLimitFailsTheAttemptWithoutRetry()
    {
        _options.MaxPayloadBytes = 10;

        var outcome = await RunAsync("a");

        var failed = Assert.IsType<AttemptOutcome.Failed>(outcome);
        Assert.Equal(("OutputTooLarge", false), (failed.ErrorType, failed.Retryable));
    }

    [Fact]
    public async Task ASettingThatCannotBeRenderedFailsTheAttemptBeforeTheStepRuns()
    {
        var outcome = await RunAsync("bad");

        var failed = Assert.IsType<AttemptOutcome.Failed>(outcome);
        Assert.Equal(("ExpressionError", false), (failed.ErrorType, failed.Retryable));
    }

    private Task<AttemptOutcome> RunAsync(string nodeId)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero));
        var transitions = new ExecutionTransitions(_state, _options, time, "e1");
        transitions.Queue(Workflow.Value, JsonNode.Parse("""{"name":"Ada"}"""), new StartExecution("w", 1, """{"name":"Ada"}"""), "hash", null);
        transitions.Begin(nodeId);
        var runner = new AttemptRunner(transitions, () => Task.FromResult(++_checkpoints), _options, time, new ServiceCollection().BuildServiceProvider(), NullLogger.Instance, CancellationToken.None);
        return runner.RunAsync(Workflow.Value.Nodes[nodeId], continuesAfterWait: false, CancellationToken.None);
    }
}
