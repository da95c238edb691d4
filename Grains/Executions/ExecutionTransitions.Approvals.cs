using System.Text.Json.Nodes;
using AgentOrleans.Grains.Steps;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Approvals of an agent's tool calls: the attempt stops with the calls it holds back, the run waits (status
/// waiting, a <c>node.waiting</c> per call), and each decision — an <c>approval</c> signal, or the call's timeout —
/// is kept until the attempt runs again, when it joins the attempt's journal. Several pending calls are decided
/// independently: each decision runs the attempt again, which stops again for those still pending.
/// </summary>
internal sealed partial class ExecutionTransitions
{
    /// <summary>Decisions taken since the attempt last ran join its journal (called before it runs, on the grain's thread).</summary>
    public void DeliverApprovalDecisions()
    {
        foreach (var (key, json) in state.ApprovalDecisions)
        {
            state.Journal[key] = json;
        }

        state.ApprovalDecisions.Clear();
    }

    /// <summary>
    /// The attempt stopped for <paramref name="requests"/>. True when one of them was decided meanwhile (or its timeout
    /// passed), so the attempt runs again at once; otherwise the run waits, announcing each call it waits for, and
    /// false is returned. A call asked for again keeps its deadline.
    /// </summary>
    public bool AwaitApprovals(string nodeId, IReadOnlyList<ApprovalRequest> requests)
    {
        var now = time.GetUtcNow();
        var known = state.Approvals.ToDictionary(a => a.Key, StringComparer.Ordinal);
        state.Approvals = requests
            .Where(r => !state.ApprovalDecisions.ContainsKey(r.Key))
            .Select(r => known.GetValueOrDefault(r.Key)
                ?? new PendingApproval(r.Key, new ToolApproval(r.ToolCallId, r.Name, r.Arguments.ToJsonString()), r.Timeout is { } timeout ? now + timeout : null))
            .ToList();
        TimeOutApprovals(now);
        if (state.Approvals.Count < requests.Count)
        {
            return true;
        }

        state.Status = ExecutionStatus.Waiting;
        state.WaitingForApprovalsSince = now;
        foreach (var approval in state.Approvals)
        {
            Append(EventTypes.NodeWaiting, nodeId, state.CurrentAttempt, new JsonObject
            {
                ["signal"] = Approvals.Signal,
                ["until"] = approval.Until,
                ["approval"] = Approval(approval.Call),
            });
        }

        return false;
    }

    /// <summary>A run waiting for approvals whose timeouts have passed: those are decided as timed out, and the run goes on (true).</summary>
    public bool TimeOutWaitingApprovals()
    {
        if (TimeOutApprovals(time.GetUtcNow()) == 0)
        {
            return false;
        }

        EndApprovalWait();
        return true;
    }

    /// <summary>The pending call with <paramref name="toolCallId"/>, if any.</summary>
    public PendingApproval? FindApproval(string toolCallId) => state.Approvals.Find(a => a.Call.ToolCallId == toolCallId);

    /// <summary>A person decided on <paramref name="approval"/>: kept for the attempt's next run; a waiting run goes on.</summary>
    public void DecideApproval(PendingApproval approval, ApprovalDecision decision)
    {
        state.Approvals.Remove(approval);
        state.ApprovalDecisions[approval.Key] = decision.ToJson().ToJsonString();
        if (state.Status == ExecutionStatus.Waiting)
        {
            EndApprovalWait();
        }
    }

    /// <summary>What a reader sees of a pending call: <c>{toolCallId, name, arguments}</c>.</summary>
    public static JsonObject Approval(ToolApproval call) => new()
    {
        ["toolCallId"] = call.ToolCallId,
        ["name"] = call.Name,
        ["arguments"] = JsonNode.Parse(call.ArgumentsJson),
    };

    /// <summary>The calls whose deadline is <paramref name="now"/> or past are decided as timed out; how many.</summary>
    private int TimeOutApprovals(DateTimeOffset now)
    {
        var due = state.Approvals.Where(a => a.Until <= now).ToList();
        foreach (var approval in due)
        {
            state.Approvals.Remove(approval);
            state.ApprovalDecisions[approval.Key] = ApprovalDecision.Timeout.ToJson().ToJsonString();
        }

        return due.Count;
    }

    /// <summary>The run goes on; the node's timeout does not count the time it waited for people.</summary>
    private void EndApprovalWait()
    {
        state.Status = ExecutionStatus.Running;
        if (state.WaitingForApprovalsSince is { } since)
        {
            state.AttemptStartedAt += time.GetUtcNow() - since;
        }

        state.WaitingForApprovalsSince = null;
    }

    /// <summary>Forgets the approvals of the attempt that ends (a new node, a retry, the run's end).</summary>
    private void ClearApprovals()
    {
        state.Approvals.Clear();
        state.ApprovalDecisions.Clear();
        state.WaitingForApprovalsSince = null;
    }
}
