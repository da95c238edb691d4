using System.Text.Json.Nodes;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Approvals of an agent's tool calls, as the grain runs them: the attempt that stops for them parks the run, and
/// an <c>approval</c> signal decides one pending call (by its <c>toolCallId</c>) and runs the attempt again.
/// </summary>
internal sealed partial class ExecutionGrain
{
    // The attempt runs next after a wait of its own (an approval decided or timed out): what it streamed before stands.
    private bool _continuesAfterWait;

    /// <summary>The attempt stopped for approvals: the run waits (checkpointed), or goes on at once when one was decided meanwhile.</summary>
    private async Task AwaitApprovalsAsync(CompiledNode node, AttemptOutcome.AwaitingApprovals awaiting)
    {
        var goesOn = _transitions.AwaitApprovals(node.Id, awaiting.Approvals);
        await CommitAsync();

        // A decision may also have arrived while the wait was written: the attempt then runs again at once.
        _continuesAfterWait = goesOn || Execution.Status != ExecutionStatus.Waiting;
    }

    /// <summary>
    /// An <c>approval</c> signal while tool calls wait for it: checked (the payload's shape, and that its
    /// <c>toolCallId</c> is pending), then the decision is kept for the attempt, which runs again if the run was waiting.
    /// A refused signal changes nothing.
    /// </summary>
    private async Task<SignalResult> TakeApprovalAsync(SendSignal signal)
    {
        var payload = signal.PayloadJson is null ? null : JsonNode.Parse(signal.PayloadJson);
        var problems = Approvals.Check(payload, Execution.Approvals.Select(a => a.Call.ToolCallId).ToList());
        if (problems.Count > 0)
        {
            return new SignalResult(SignalOutcome.Invalid, null, Execution.Status, $"the approval does not decide a tool call pending at node '{Execution.CurrentNodeId}'") { Problems = problems };
        }

        var decision = (JsonObject)payload!;
        var toolCallId = decision["toolCallId"]!.GetValue<string>();
        var pending = _transitions.FindApproval(toolCallId)!;
        var wasWaiting = Execution.Status == ExecutionStatus.Waiting;
        var taken = _transitions.ReceiveSignal(signal, buffered: false, new JsonObject
        {
            ["toolCallId"] = toolCallId,
            ["name"] = pending.Call.Name,
            ["approved"] = decision["approved"]!.GetValue<bool>(),
        });
        _transitions.DecideApproval(pending, ApprovalDecision.FromSignal(decision, signal.By, taken.Id));
        if (wasWaiting)
        {
            _continuesAfterWait = true;
            await ContinueAfterParkAsync();
        }
        else
        {
            // The attempt is running (another call of the turn was decided first): it finds this decision when it stops.
            await CommitAsync();
        }

        return new SignalResult(SignalOutcome.Accepted, taken.Id, Execution.Status, $"taken by node '{Execution.CurrentNodeId}' for tool call '{toolCallId}' ({pending.Call.Name})");
    }
}
