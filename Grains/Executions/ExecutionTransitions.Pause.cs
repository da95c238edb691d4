using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Pause and resume. A pause takes effect at the next node boundary: the node running finishes, and
/// the next one is not entered until a resume. The execution's deadline keeps counting meanwhile.
/// </summary>
internal sealed partial class ExecutionTransitions
{
    /// <summary>Asks for a pause; false when one is asked for or in effect already. <paramref name="by"/>: who asked, recorded when it takes effect.</summary>
    public bool RequestPause(string? by = null)
    {
        if (state.PauseRequested || state.Status == ExecutionStatus.Paused)
        {
            return false;
        }

        state.PauseRequested = true;
        state.PauseBy = by;
        return true;
    }

    /// <summary>At a node boundary with a pause asked for: status paused, <c>execution.paused</c>, <paramref name="nextNodeId"/> kept to enter on resume.</summary>
    private void Pause(string nextNodeId)
    {
        state.PauseRequested = false;
        state.Status = ExecutionStatus.Paused;
        state.PausedBefore = nextNodeId;
        state.CurrentNodeId = null;
        Append(EventTypes.ExecutionPaused, data: new JsonObject { ["nextNode"] = nextNodeId }.WithBy(state.PauseBy));
        state.PauseBy = null;
    }

    /// <summary>
    /// Resumes a paused run (<c>execution.resumed</c>, then the next node entered) or withdraws a pause not yet
    /// in effect. False when neither applies: nothing changed.
    /// </summary>
    public bool Resume(string? by = null)
    {
        if (state.Status == ExecutionStatus.Paused)
        {
            state.Status = ExecutionStatus.Running;
            var next = state.PausedBefore!;
            state.PausedBefore = null;
            Append(EventTypes.ExecutionResumed, data: new JsonObject { ["nextNode"] = next }.WithBy(by));
            EnterNode(next);
            return true;
        }

        if (state.PauseRequested)
        {
            state.PauseRequested = false;
            state.PauseBy = null;
            return true;
        }

        return false;
    }
}
