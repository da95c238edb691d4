using System.Text.Json.Nodes;
using AgentOrleans.Grains.Steps.BuiltIn;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// What callers do to a run besides cancelling it: signal it, pause it, resume it. Each change is
/// checkpointed before it is answered, so an answered signal or pause survives a lost silo.
/// </summary>
internal sealed partial class ExecutionGrain
{
    public async Task<SignalResult> SignalAsync(SendSignal signal)
    {
        if (!Execution.Exists)
        {
            return new SignalResult(SignalOutcome.NotFound, null, null, $"no execution '{ShownId}'");
        }

        // Before the end is checked: a caller retrying a signal whose answer it lost hears it was accepted, also once it ended the run.
        if (_transitions.SawSignalKey(signal.IdempotencyKey))
        {
            return new SignalResult(SignalOutcome.Duplicate, null, Execution.Status, "a signal with this Idempotency-Key was accepted before; nothing changed");
        }

        if (Execution.Status.IsTerminal())
        {
            return new SignalResult(SignalOutcome.Finished, null, Execution.Status, $"the execution already ended {Execution.Status.ToWireName()}; the signal '{signal.Name}' was not taken");
        }

        var workflow = _workflow ??= await workflows.LoadAsync(Tenant, Execution.WorkflowId, Execution.Version)
            ?? throw new InvalidOperationException($"workflow '{Execution.WorkflowId}' version {Execution.Version} is gone");
        if (signal.Name == Steps.Approvals.Signal && Execution.Approvals.Count > 0)
        {
            return await TakeApprovalAsync(signal);
        }

        if (signal.Name == Usage.BudgetErrors.Signal && _transitions.WaitsForBudget)
        {
            return await TakeBudgetAsync(signal);
        }

        if (Execution is { Status: ExecutionStatus.Waiting, Waiting: { } wait } && wait.Signal == signal.Name)
        {
            return await TakeSignalAsync(workflow, workflow.Nodes[wait.NodeId], signal);
        }

        if (Execution.Signals.Count >= _options.MaxBufferedSignals)
        {
            return new SignalResult(
                SignalOutcome.BufferFull,
                null,
                Execution.Status,
                $"the execution already holds {Execution.Signals.Count} signals no node has taken (AgentOrleans:Executions:MaxBufferedSignals); '{signal.Name}' was not taken");
        }

        var buffered = _transitions.ReceiveSignal(signal, buffered: true);
        await CommitAsync();
        return new SignalResult(SignalOutcome.Accepted, buffered.Id, Execution.Status, $"buffered until a node waits for '{signal.Name}'");
    }

    public async Task<ControlResult> PauseAsync(string? by = null)
    {
        if (Ended("pause") is { } ended)
        {
            return ended;
        }

        if (!_transitions.RequestPause(by))
        {
            return new ControlResult(true, false, Execution.Status, Execution.Status == ExecutionStatus.Paused ? "the execution is paused already; nothing changed" : "a pause is requested already; nothing changed");
        }

        await CommitAsync();
        return new ControlResult(true, true, Execution.Status, "pause requested: it takes effect when the node running now finishes");
    }

    public async Task<ControlResult> ResumeAsync(string? by = null)
    {
        if (Ended("resume") is { } ended)
        {
            return ended;
        }

        var wasPaused = Execution.Status == ExecutionStatus.Paused;
        if (!_transitions.Resume(by))
        {
            return new ControlResult(true, false, Execution.Status, "the execution is not paused; nothing changed");
        }

        if (!wasPaused)
        {
            await CommitAsync();
            return new ControlResult(true, true, Execution.Status, "the pause requested was withdrawn before it took effect");
        }

        await ContinueAfterParkAsync();
        return new ControlResult(true, true, Execution.Status, "resumed");
    }

    private ControlResult? Ended(string what) =>
        !Execution.Exists ? new ControlResult(false, false, null, $"no execution '{ShownId}'")
        : Execution.Status.IsTerminal() ? new ControlResult(true, false, Execution.Status, $"the execution already ended {Execution.Status.ToWireName()}; nothing to {what}")
        : null;

    /// <summary>The signal the waiting node waits for: checked against its schema, then the run goes on from the node's result.</summary>
    private async Task<SignalResult> TakeSignalAsync(Workflows.CompiledWorkflow workflow, Workflows.CompiledNode node, SendSignal signal)
    {
        var payload = signal.PayloadJson is null ? null : JsonNode.Parse(signal.PayloadJson);
        var problems = WaitStep.Read(node.RenderSettings(_transitions.Scope())).Check(payload);
        if (problems.Count > 0)
        {
            return new SignalResult(SignalOutcome.Invalid, null, Execution.Status, $"the payload does not match the schema of node '{node.Id}'") { Problems = problems };
        }

        var taken = _transitions.ReceiveSignal(signal, buffered: false);
        _transitions.EndWait(workflow, node, payload);
        await ContinueAfterParkAsync();
        return new SignalResult(SignalOutcome.Accepted, taken.Id, Execution.Status, $"taken by node '{node.Id}'");
    }
}
