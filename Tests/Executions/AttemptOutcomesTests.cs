using System.Text.Json.Nodes;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Workflows;

namespace AgentOrleans.Tests.Executions;

/// <summary>How an attempt's exception, abandonment or result becomes its outcome.</summary>
public class AttemptOutcomesTests
{
    private static readonly Lazy<CompiledNode> Node = new(() => Definitions.Valid("""
        {"id":"w","start":"a","nodes":{"a":{"type":"transform","with":{"set":{"x":1}},"timeout":"5s"}}}
        """).Nodes["a"]);

    [Fact]
    public void AnyExceptionWhileTheExecutionStopsIsAStop()
    {
        var outcome = AttemptOutcomes.FromException(new StepException("Bad", "no", retryable: false), Node.Value, stopping: true, nodeTimedOut: true);

        Assert.Equal(new AttemptOutcome.Stopped(Abandoned: false), outcome);
    }

    [Fact]
    public void ACancellationByTheNodesTimeoutIsARetryableStepTimeout()
    {
        var outcome = AttemptOutcomes.FromException(new OperationCanceledException(), Node.Value, stopping: false, nodeTimedOut: true);

        Assert.Equal(new AttemptOutcome.Failed("StepTimeout", "node 'a' passed its timeout of 00:00:05", Retryable: true), outcome);
    }

    [Fact]
    public void AStepExceptionKeepsItsTypeRetryabilityAndRetryAfter()
    {
        var thrown = new StepException("RateLimited", "slow down", retryable: false) { RetryAfter = TimeSpan.FromSeconds(3) };

        var outcome = AttemptOutcomes.FromException(thrown, Node.Value, stopping: false, nodeTimedOut: false);

        Assert.Equal(new AttemptOutcome.Failed("RateLimited", "slow down", Retryable: false, TimeSpan.FromSeconds(3)), outcome);
    }

    [Fact]
    public void AnExpressionErrorIsNotRetried()
    {
        var outcome = AttemptOutcomes.FromException(new ExpressionException("bad expression"), Node.Value, stopping: false, nodeTimedOut: false);

        Assert.Equal(new AttemptOutcome.Failed("ExpressionError", "bad expression", Retryable: false), outcome);
    }

    [Fact]
    public void AnyOtherExceptionIsRetriedUnderItsTypeName()
    {
        Assert.Equal(
            new AttemptOutcome.Failed("InvalidOperationException", "oops", Retryable: true),
            AttemptOutcomes.FromException(new InvalidOperationException("oops"), Node.Value, stopping: false, nodeTimedOut: false));
        Assert.Equal(
            new AttemptOutcome.Failed("OperationCanceledException", "The operation was canceled.", Retryable: true),
            AttemptOutcomes.FromException(new OperationCanceledException(), Node.Value, stopping: false, nodeTimedOut: false));
    }

    [Fact]
    public void AnAbandonedStepIsAnAbandonedStopOrARetryableTimeout()
    {
        Assert.Equal(new AttemptOutcome.Stopped(Abandoned: true), AttemptOutcomes.Abandoned(Node.Value, stopping: true));
        Assert.Equal(
            new AttemptOutcome.Failed("StepTimeout", "node 'a' passed its timeout of 00:00:05 and ignored cancellation; abandoned", Retryable: true),
            AttemptOutcomes.Abandoned(Node.Value, stopping: false));
    }

    [Fact]
    public void AnOutputOverThePayloadLimitIsRefused()
    {
        var result = new StepResult(JsonValue.Create("0123456789"), new JsonObject { ["k"] = 1 });

        Assert.Equal(new AttemptOutcome.Succeeded(result), AttemptOutcomes.FromResult(result, maxPayloadBytes: 19));
        var refused = Assert.IsType<AttemptOutcome.Failed>(AttemptOutcomes.FromResult(result, maxPayloadBytes: 18));
        Assert.Equal(("OutputTooLarge", false), (refused.ErrorType, refused.Retryable));
        Assert.StartsWith("the step's output is 19 bytes, over the limit of 18", refused.Message, StringComparison.Ordinal);
    }
}
