using System.Text.Json.Nodes;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Steps.BuiltIn;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Signals and the <c>wait</c> node: a signal is taken by the node waiting for it or buffered, in arrival
/// order, for the node that will; a wait ends with a signal's payload or at its timeout.
/// </summary>
internal sealed partial class ExecutionTransitions
{
    /// <summary>True when a signal with <paramref name="key"/> was accepted before.</summary>
    public bool SawSignalKey(string? key) => key is not null && state.SignalKeys.Contains(key);

    /// <summary>
    /// Records a signal that arrived: <c>execution.signaled</c> (with <paramref name="approval"/>, what it decided of a
    /// tool call), and its key so it is accepted once.
    /// </summary>
    public BufferedSignal ReceiveSignal(SendSignal signal, bool buffered, JsonObject? approval = null)
    {
        var received = new BufferedSignal($"sig-{++state.SignalCount}", signal.Name, signal.PayloadJson, signal.By, time.GetUtcNow());
        if (signal.IdempotencyKey is { } key)
        {
            state.SignalKeys.Add(key);
            if (state.SignalKeys.Count > options.MaxSignalKeys)
            {
                state.SignalKeys.RemoveAt(0);
            }
        }

        if (buffered)
        {
            state.Signals.Add(received);
        }

        var data = new JsonObject
        {
            ["name"] = received.Name,
            ["signalId"] = received.Id,
            ["by"] = received.By,
            ["buffered"] = buffered,
        };
        if (approval is not null)
        {
            data["approval"] = approval;
        }

        Append(EventTypes.ExecutionSignaled, state.Status == ExecutionStatus.Waiting || approval is not null ? state.CurrentNodeId : null, null, data);
        return received;
    }

    /// <summary>
    /// The first buffered signal named <paramref name="name"/> that <paramref name="settings"/>' schema accepts, taken
    /// from the buffer; those of that name it refuses on the way are dropped and returned with their problems.
    /// </summary>
    public (BufferedSignal? Taken, JsonArray Refused) TakeBufferedSignal(string name, WaitSettings settings)
    {
        var refused = new JsonArray();
        while (state.Signals.FindIndex(s => s.Name == name) is var at and >= 0)
        {
            var signal = state.Signals[at];
            state.Signals.RemoveAt(at);
            var problems = settings.Check(Payload(signal));
            if (problems.Count == 0)
            {
                return (signal, refused);
            }

            refused.Add(new JsonObject { ["signalId"] = signal.Id, ["errors"] = EventData.Problems(problems) });
        }

        return (null, refused);
    }

    /// <summary>The wait node parks the run: status waiting, <c>node.waiting</c> with the signal and its deadline.</summary>
    public void Wait(string nodeId, string signal, DateTimeOffset? until, JsonArray refused)
    {
        state.Status = ExecutionStatus.Waiting;
        state.Waiting = new SignalWait(nodeId, signal, until);
        var data = new JsonObject { ["signal"] = signal, ["until"] = until };
        if (refused.Count > 0)
        {
            // Signals sent early whose payload the node's schema refuses: dropped, and said so where the reader looks.
            data["refusedSignals"] = refused;
        }

        Append(EventTypes.NodeWaiting, nodeId, state.CurrentAttempt, data);
    }

    /// <summary>The wait is over (a signal, or the timeout with an output): the run goes on from the wait node's result.</summary>
    public void EndWait(CompiledWorkflow workflow, CompiledNode node, JsonNode? output)
    {
        state.Status = ExecutionStatus.Running;
        state.Waiting = null;
        CompleteNode(workflow, node, new StepResult(output));
    }

    /// <summary>The wait's timeout passed with no output given: the wait ends, and the attempt fails with this <c>WaitTimedOut</c>, which the node's retry policy may retry.</summary>
    public AttemptOutcome.Failed TimeOutWait()
    {
        state.Status = ExecutionStatus.Running;
        var waited = state.Waiting;
        state.Waiting = null;
        return new AttemptOutcome.Failed("WaitTimedOut", $"no signal '{waited?.Signal}' arrived by {waited?.Until:O}", Retryable: true);
    }

    public static JsonNode? Payload(BufferedSignal signal) => signal.PayloadJson is null ? null : JsonNode.Parse(signal.PayloadJson);
}
