using System.Text.Json.Nodes;
using AgentOrleans.Grains.Steps;

namespace AgentOrleans.Grains.Executions;

/// <summary>The children the attempt in flight started, announced in the log for readers of the parent's events with its children.</summary>
internal sealed partial class ExecutionTransitions
{
    /// <summary>
    /// <c>child.started</c> on the node in flight, and the journal entry under <paramref name="journalKey"/> that keeps a re-run
    /// of the attempt from announcing the child again (both in the same checkpoint).
    /// </summary>
    public void AppendChildStarted(string nodeId, string journalKey, ChildStart child)
    {
        state.Journal[journalKey] = "true";
        Append(EventTypes.ChildStarted, nodeId, state.CurrentAttempt, new JsonObject
        {
            ["executionId"] = child.ExecutionId,
            ["path"] = child.Path,
            ["workflowId"] = child.WorkflowId,
        });
    }
}
