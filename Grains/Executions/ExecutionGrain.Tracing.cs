using System.Diagnostics;
using AgentOrleans.Grains.Telemetry;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Spans of the run loop. The loop outlives the start call and may resume on another silo, so its
/// parent is the start call's traceparent persisted in the state, not whatever activity is current.
/// </summary>
internal sealed partial class ExecutionGrain
{
    private Activity? StartExecutionSpan()
    {
        ActivityContext.TryParse(Execution.TraceParent, null, out var parent);
        var span = AgentOrleansTracing.Source.StartActivity($"execution {Execution.WorkflowId}", ActivityKind.Internal, parent);
        span?.SetTag("agentorleans.execution.id", ExecutionId);
        span?.SetTag("agentorleans.workflow.id", Execution.WorkflowId);
        span?.SetTag("agentorleans.workflow.version", Execution.Version);
        if (Execution.Status != ExecutionStatus.Queued)
        {
            span?.SetTag("agentorleans.resumed", true);
        }

        return span;
    }

    private static Activity? StartNodeSpan(string nodeId, int attempt)
    {
        var span = AgentOrleansTracing.Source.StartActivity($"node {nodeId}");
        span?.SetTag("agentorleans.node.id", nodeId);
        span?.SetTag("agentorleans.node.attempt", attempt);
        return span;
    }

    private static void EndNodeSpan(Activity? span, AttemptOutcome outcome)
    {
        span?.SetTag("agentorleans.node.outcome", outcome.Name);
        if (outcome is AttemptOutcome.Failed failed)
        {
            span?.SetStatus(ActivityStatusCode.Error, $"{failed.ErrorType}: {failed.Message}");
        }
    }
}
