using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Every change of an execution's state, as plain code: each transition applies its changes to
/// <see cref="ExecutionState"/> and appends its events (seq numbering, trimming), which wait in
/// <see cref="Unpublished"/> until the grain's next checkpoint makes them durable and publishes them.
/// The grain decides when a transition happens; what it records is decided here.
/// </summary>
/// <remarks>
/// Waiting is a state field set by the transition that parks the run and cleared by the one that
/// wakes it, as <see cref="ExecutionState.NextAttemptAt"/> is for a retry: a wait for a signal or a
/// pause is one more such pair (see ExecutionTransitions.Waits.cs).
/// </remarks>
internal sealed partial class ExecutionTransitions(ExecutionState state, ExecutionOptions options, TimeProvider time, string executionId)
{
    private JsonObject? _workingState;
    private JsonNode? _input;

    public ExecutionState State => state;

    public string ExecutionId => executionId;

    /// <summary>Events appended and not yet taken by a checkpoint, in seq order.</summary>
    public List<ExecutionEvent> Unpublished { get; } = [];

    /// <summary>Takes the unpublished events up to <paramref name="seq"/>, the last one a checkpoint made durable.</summary>
    public List<ExecutionEvent> TakeUnpublishedThrough(long seq)
    {
        var count = 0;
        while (count < Unpublished.Count && Unpublished[count].Seq <= seq)
        {
            count++;
        }

        var taken = Unpublished.GetRange(0, count);
        Unpublished.RemoveRange(0, count);
        return taken;
    }

    /// <summary>The run's state as an object, parsed from the checkpoint once per activation.</summary>
    public JsonObject WorkingState => _workingState ??= JsonNode.Parse(state.StateJson) as JsonObject ?? [];

    // The input never changes once the execution exists: parsed once, not per node and attempt.
    public JsonNode? Input => state.InputJson is null ? null : _input ??= JsonNode.Parse(state.InputJson);

    public ExpressionScope Scope() => new(Input, WorkingState);

    /// <summary>
    /// Stable across re-runs of the same attempt, different for every attempt and, from a node's
    /// second visit on, for every visit.
    /// </summary>
    public string IdempotencyKey(string nodeId)
    {
        var visit = state.Visits.GetValueOrDefault(nodeId, 1);
        return visit > 1 ? $"{executionId}:{nodeId}.{visit}:{state.CurrentAttempt}" : $"{executionId}:{nodeId}:{state.CurrentAttempt}";
    }

    /// <summary>A new execution, pinned to <paramref name="workflow"/>: status queued.</summary>
    public void Queue(CompiledWorkflow workflow, JsonNode? input, StartExecution command, string requestHash, string? traceParent)
    {
        var now = time.GetUtcNow();
        state.Exists = true;
        state.WorkflowId = workflow.WorkflowId;
        state.Version = workflow.Version;
        state.InputJson = input?.ToJsonString();
        state.Status = ExecutionStatus.Queued;
        state.CreatedAt = now;
        state.Deadline = workflow.Timeout is { } timeout ? now + timeout : null;
        state.Parent = command.Parent;
        state.Priority = command.Priority;
        state.RequestHash = requestHash;
        state.TraceParent = traceParent;
        state.Labels = command.Labels is { } labels ? new Dictionary<string, string>(labels) : [];
        state.ScheduleKey = command.ScheduleKey;
        state.Budget = Usage.BudgetReader.Combine(workflow.Budget, command.Budget);
        Append(EventTypes.ExecutionQueued, data: new JsonObject
        {
            ["workflowId"] = workflow.WorkflowId,
            ["version"] = workflow.Version,
            ["parentExecutionId"] = command.Parent?.ExecutionId,
            ["parentNodeId"] = command.Parent?.NodeId,
        }.WithBy(command.By).WithRerun(command.Rerun));
    }

    /// <summary>The run begins: status running, and the start node entered unless it is already stopping (null). <paramref name="by"/>: who started it.</summary>
    public void Begin(string? startNodeId, string? by = null)
    {
        state.Status = ExecutionStatus.Running;
        state.StartedAt = time.GetUtcNow();
        Append(EventTypes.ExecutionStarted, data: by is null ? null : new JsonObject().WithBy(by));
        if (startNodeId is not null)
        {
            EnterNode(startNodeId);
        }
    }

    /// <summary>The node in flight when the last activation ended runs again with the same attempt and key.</summary>
    public void ResumeAttempt()
    {
        var data = new JsonObject { ["resumed"] = true };
        if (state.AttemptEmittedProgress)
        {
            // The resumed attempt streams its output again from the start: what the interrupted run emitted is void.
            data["discardProgress"] = true;
        }

        Append(EventTypes.NodeStarted, state.CurrentNodeId, state.CurrentAttempt, data);
    }

    public void EnterNode(string nodeId)
    {
        var visits = state.Visits.GetValueOrDefault(nodeId) + 1;
        state.Visits[nodeId] = visits;
        state.CurrentNodeId = nodeId;
        state.CurrentAttempt = 1;
        state.AttemptStartedAt = time.GetUtcNow();
        state.NextAttemptAt = null;
        state.Journal.Clear();
        ClearApprovals();
        ResetNodeUsage();
        Append(EventTypes.NodeStarted, nodeId, 1, visits > 1 ? new JsonObject { ["visit"] = visits } : null);
    }

    /// <summary>
    /// Records the node's result and moves on: the next node is entered, or the run ends (succeeded
    /// with no next node, failed on an edge condition's error or past the next node's maxVisits).
    /// </summary>
    public void CompleteNode(CompiledWorkflow workflow, CompiledNode node, StepResult result, bool fromCache = false)
    {
        RecordStep(node.Id, result);
        RunState.Apply(WorkingState, node.Id, result);
        state.StateJson = WorkingState.ToJsonString();
        var completed = Completed(result);
        if (fromCache)
        {
            completed["cached"] = true;
        }

        Append(EventTypes.NodeCompleted, node.Id, state.CurrentAttempt, completed);

        string? next;
        try
        {
            next = node.NextNodeId(Scope());
        }
        catch (ExpressionException ex)
        {
            Finish(ExecutionStatus.Failed, new ExecutionError("ExpressionError", ex.Message, node.Id, state.CurrentAttempt));
            return;
        }

        if (next is null)
        {
            state.ResultJson = state.StateJson;
            Finish(ExecutionStatus.Succeeded, error: null);
            return;
        }

        if (workflow.Nodes[next].MaxVisits is { } bound && state.Visits.GetValueOrDefault(next) >= bound)
        {
            Finish(ExecutionStatus.Failed, new ExecutionError("IterationLimitExceeded", $"node '{next}' would run more than its maxVisits of {bound}", next, null));
            return;
        }

        if (state.PauseRequested)
        {
            Pause(next);
            return;
        }

        EnterNode(next);
    }

    /// <summary>
    /// A failed attempt: retried when its error allows and attempts remain (true), else the node and
    /// the run fail. <paramref name="jitter"/> is a random number in [0, 1) for the retry's backoff.
    /// </summary>
    public bool FailAttempt(CompiledNode node, AttemptOutcome.Failed failed, double jitter)
    {
        if (failed.Retryable && node.Retry.IsRetryable(failed.ErrorType) && state.CurrentAttempt < node.Retry.MaxAttempts)
        {
            ScheduleRetry(node, failed, jitter);
            return true;
        }

        Append(EventTypes.NodeFailed, node.Id, state.CurrentAttempt, EventData.Error(failed.ErrorType, failed.Message));
        Finish(ExecutionStatus.Failed, new ExecutionError(failed.ErrorType, failed.Message, node.Id, state.CurrentAttempt));
        return false;
    }

    /// <summary>What the attempt in flight recorded in its journal: kept with the state, no event (its progress tells readers).</summary>
    public void RecordJournal(string key, string json) => state.Journal[key] = json;

    /// <summary>Progress a step emitted, in events of at most MaxChunksPerProgressEvent chunks; false when there was none.</summary>
    public bool AppendProgress(string nodeId, List<JsonNode> chunks)
    {
        if (chunks.Count == 0)
        {
            return false;
        }

        state.AttemptEmittedProgress = true;
        foreach (var batch in chunks.Chunk(options.MaxChunksPerProgressEvent))
        {
            Append(EventTypes.NodeProgress, nodeId, state.CurrentAttempt, EventData.Progress(batch, options.MaxPayloadBytes));
        }

        return true;
    }

    private void Append(string type, string? nodeId = null, int? attempt = null, JsonObject? data = null)
    {
        var appended = new ExecutionEvent(++state.LastSeq, type, time.GetUtcNow(), executionId, nodeId, attempt, data?.ToJsonString());
        state.Events.Add(appended);
        Unpublished.Add(appended);
        state.TrimmedThrough = EventLog.Trim(state.Events, options.MaxRetainedEvents, state.TrimmedThrough, appended.At - options.MaxEventAge);
    }
}
