using System.Text.Json.Nodes;
using AgentOrleans.Grains.Usage;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Model usage and budgets: each model call's usage (and each child's, once) joins the execution's and the node's in the
/// checkpoint of the step that made it; a call that would exceed a budget with <c>onBudget: wait</c> parks the run
/// (status waiting for the signal <c>budget</c>) until a signal raises the budget, then the same attempt runs again.
/// </summary>
internal sealed partial class ExecutionTransitions
{
    public void RecordUsage(UsageRecord record)
    {
        state.Usage = state.Usage.Add(record.Usage);
        state.NodeUsage = state.NodeUsage.Add(record.Usage);
        if (record.ChildId is { } child)
        {
            state.CountedChildren.Add(child);
        }
    }

    /// <summary>The attempt stopped before a model call that would exceed the budget: the run waits for a <c>budget</c> signal.</summary>
    public void AwaitBudget(string nodeId, string reason)
    {
        state.Status = ExecutionStatus.Waiting;
        state.Waiting = new SignalWait(nodeId, BudgetErrors.Signal, Until: null);
        state.WaitingForBudget = true;

        // The node's timeout does not count the wait, as for approvals (the same field, ended by EndApprovalWait).
        state.WaitingForApprovalsSince = time.GetUtcNow();
        Append(EventTypes.NodeWaiting, nodeId, state.CurrentAttempt, new JsonObject
        {
            ["signal"] = BudgetErrors.Signal,
            ["until"] = null,
            ["reason"] = reason,
            ["budget"] = state.Budget is { } budget ? UsageJson.ToJson(budget) : null,
            ["usage"] = UsageJson.ToJson(state.Usage),
        });
    }

    /// <summary>Whether the run waits for a <c>budget</c> signal.</summary>
    public bool WaitsForBudget => state is { Status: ExecutionStatus.Waiting, WaitingForBudget: true };

    /// <summary>A <c>budget</c> signal raised the budget to <paramref name="raised"/>: the run goes on, the same attempt again.</summary>
    public void RaiseBudget(ExecutionBudget raised)
    {
        state.Budget = raised;
        state.Waiting = null;
        state.WaitingForBudget = false;
        EndApprovalWait();
    }

    /// <summary>The node.completed data: its output, and the usage of its model calls and children when it made any.</summary>
    private JsonObject Completed(Steps.StepResult result)
    {
        var data = new JsonObject { ["output"] = result.Output?.DeepClone() };
        if (!state.NodeUsage.IsEmpty)
        {
            data["usage"] = UsageJson.ToJson(state.NodeUsage);
        }

        return data;
    }

    /// <summary>A new visit of a node (or the run's end) counts its usage afresh; a new attempt counts its children afresh.</summary>
    private void ResetNodeUsage()
    {
        state.NodeUsage = ExecutionUsage.None;
        state.CountedChildren.Clear();
    }
}
