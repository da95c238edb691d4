using AgentOrleans.Grains.Steps;

namespace AgentOrleans.Grains.Executions;

/// <summary>How one attempt of a node ended.</summary>
internal abstract record AttemptOutcome
{
    /// <summary>The <c>outcome</c> tag of the node duration metric.</summary>
    public string Name => this switch
    {
        Succeeded => "succeeded",
        Failed => "failed",
        AwaitingApprovals or AwaitingBudget => "waiting",
        _ => "stopped",
    };

    public sealed record Succeeded(StepResult Result) : AttemptOutcome;

    /// <summary>A failed attempt; <see cref="RetryAfter"/> is a floor for the delay before a retry.</summary>
    public sealed record Failed(string ErrorType, string Message, bool Retryable, TimeSpan? RetryAfter = null) : AttemptOutcome;

    /// <summary>The step stopped its attempt to wait for people to decide on <see cref="Approvals"/>; the same attempt runs again once one is decided.</summary>
    public sealed record AwaitingApprovals(IReadOnlyList<ApprovalRequest> Approvals) : AttemptOutcome;

    /// <summary>A model call would exceed the budget (<c>onBudget: wait</c>): the run waits for a <c>budget</c> signal, then the same attempt runs again.</summary>
    public sealed record AwaitingBudget(string Reason) : AttemptOutcome;

    /// <summary>The execution was cancelled, timed out or is shutting down; <see cref="Abandoned"/> when the step ignored its token.</summary>
    public sealed record Stopped(bool Abandoned) : AttemptOutcome;
}
