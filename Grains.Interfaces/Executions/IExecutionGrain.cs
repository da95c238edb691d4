using Orleans.Concurrency;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// One workflow run, keyed by execution id. Owns the run's state, its pinned compiled
/// workflow, its cancellation and its event log. Every method answers within
/// milliseconds while a step runs: steps never run on the grain's turn.
/// </summary>
[Alias("AgentOrleans.IExecutionGrain")]
public interface IExecutionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Pins the workflow version, checks the input, records <c>execution.queued</c>, <c>execution.started</c>
    /// and the first <c>node.started</c> in one checkpoint with the recovery reminder, starts the
    /// run and returns at once. Starting again with the same request is idempotent; a different
    /// request for an existing execution is refused as a conflict.
    /// </summary>
    [Alias("Start")]
    Task<StartResult> StartAsync(StartExecution command);

    /// <summary>The current snapshot; null when no execution has this id.</summary>
    [Alias("Get"), ReadOnly]
    Task<ExecutionSnapshot?> GetAsync();

    /// <summary>
    /// Waits until the execution is terminal or <paramref name="timeout"/> passes, then returns the
    /// snapshot. Interleaves so that waiting callers never block the grain.
    /// </summary>
    [Alias("Wait"), AlwaysInterleave]
    Task<ExecutionSnapshot?> WaitAsync(TimeSpan timeout);

    /// <summary>Retained events with <c>seq</c> greater than <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    [Alias("GetEvents"), ReadOnly]
    Task<EventPage> GetEventsAsync(long after, int limit);

    /// <summary>
    /// Requests cancellation: persisted before it is acknowledged, idempotent. <paramref name="by"/>: who asked, recorded
    /// on <c>execution.cancelled</c> (a trailing argument under the same alias: a caller that predates it sends none).
    /// </summary>
    [Alias("Cancel")]
    Task<CancelResult> CancelAsync(string? reason, string? by = null);

    /// <summary>
    /// A signal: taken by the <c>wait</c> node waiting for it (checked against its schema), or buffered for the node
    /// that will wait for it. Checkpointed before it is answered; a signal with a key accepted before changes nothing.
    /// </summary>
    [Alias("Signal")]
    Task<SignalResult> SignalAsync(SendSignal signal);

    /// <summary>Asks for a pause at the next node boundary: checkpointed before it is answered, idempotent. <paramref name="by"/> is recorded on <c>execution.paused</c>.</summary>
    [Alias("Pause")]
    Task<ControlResult> PauseAsync(string? by = null);

    /// <summary>Resumes a paused execution, or withdraws a pause not yet in effect: checkpointed, idempotent. <paramref name="by"/> is recorded on <c>execution.resumed</c>.</summary>
    [Alias("ResumePaused")]
    Task<ControlResult> ResumeAsync(string? by = null);

    /// <summary>
    /// The start of a re-run of this ended execution from <paramref name="fromNode"/> (default: the node it stopped in) with
    /// the state it had before that node, and <paramref name="inputJson"/> or its own input. Changes nothing here.
    /// </summary>
    [Alias("PlanRerun"), ReadOnly]
    Task<RerunPlan> PlanRerunAsync(string? fromNode, string? inputJson, string? by = null);

    /// <summary>
    /// Brings a running execution back to life (after its silo was lost); a no-op otherwise. One-way:
    /// an activation that is shutting down sends it to itself, so the run continues on another silo at
    /// once rather than at the next reminder tick, and it cannot wait for an answer from itself.
    /// </summary>
    [Alias("Wake"), OneWay]
    Task WakeAsync();

    /// <summary>
    /// Deletes a finished execution: its state and event log, its index row, leaving a tombstone. Refused for one that
    /// has not ended. Idempotent: a delete that stopped midway is finished by the next.
    /// </summary>
    [Alias("Delete")]
    Task<DeleteOutcome> DeleteAsync();
}
