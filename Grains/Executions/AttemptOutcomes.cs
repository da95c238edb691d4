using System.Text;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// How an attempt's ending maps to an <see cref="AttemptOutcome"/>: the one place that decides
/// which errors are retryable, what a stop or a timeout is, and when an output is refused.
/// </summary>
internal static class AttemptOutcomes
{
    /// <summary>
    /// An exception out of the step (or out of what prepares it). Anything is a stop once the
    /// execution is stopping (<paramref name="stopping"/>): the step was cancelled, whatever it threw.
    /// </summary>
    public static AttemptOutcome FromException(Exception exception, CompiledNode node, bool stopping, bool nodeTimedOut) => exception switch
    {
        _ when stopping => new AttemptOutcome.Stopped(Abandoned: false),
        ApprovalsPendingException pending => new AttemptOutcome.AwaitingApprovals(pending.Approvals),
        Usage.BudgetWaitException budget => new AttemptOutcome.AwaitingBudget(budget.Message),
        OperationCanceledException when nodeTimedOut => new AttemptOutcome.Failed("StepTimeout", $"node '{node.Id}' passed its timeout of {node.Timeout}", Retryable: true),
        StepException step => new AttemptOutcome.Failed(step.ErrorType, step.Message, step.Retryable, step.RetryAfter),
        ExpressionException expression => new AttemptOutcome.Failed("ExpressionError", expression.Message, Retryable: false),
        _ => new AttemptOutcome.Failed(exception.GetType().Name, exception.Message, Retryable: true),
    };

    /// <summary>A step that ignored its cancelled token past the grace period, left running.</summary>
    public static AttemptOutcome Abandoned(CompiledNode node, bool stopping) => stopping
        ? new AttemptOutcome.Stopped(Abandoned: true)
        : new AttemptOutcome.Failed("StepTimeout", $"node '{node.Id}' passed its timeout of {node.Timeout} and ignored cancellation; abandoned", Retryable: true);

    public static AttemptOutcome FromResult(StepResult result, int maxPayloadBytes)
    {
        var size = Encoding.UTF8.GetByteCount(result.Output?.ToJsonString() ?? "") + Encoding.UTF8.GetByteCount(result.StatePatch?.ToJsonString() ?? "");
        return size > maxPayloadBytes
            ? new AttemptOutcome.Failed("OutputTooLarge", $"the step's output is {size} bytes, over the limit of {maxPayloadBytes} (AgentOrleans:Executions:MaxPayloadBytes)", Retryable: false)
            : new AttemptOutcome.Succeeded(result);
    }
}
