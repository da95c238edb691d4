using System.Text;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Workflows;
using Orleans.Storage;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The run loop: walks the compiled graph one node at a time, checkpointing after each, with
/// retries, node timeouts, the overall deadline and cancellation. Steps run on the thread pool;
/// this loop only awaits them, so the activation keeps answering calls.
/// </summary>
internal sealed partial class ExecutionGrain
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly CancellationTokenSource _shutdown = new();
    private JsonObject? _runState;
    private JsonNode? _input;

    // Whether the step stopped by cancel or timeout ignored its token and was left running.
    private bool _abandonedStep;

    // Whether StartAsync began the run in this activation, so the loop's first checkpoint is already written.
    private bool _begunInThisActivation;

    private void EnsureRunLoop()
    {
        if (_runLoop is null || _runLoop.IsCompleted)
        {
            _runLoop = RunLoopAsync();
        }
    }

    private async Task RunLoopAsync()
    {
        // Leave the caller's turn first: the loop must never run inside a request.
        await Task.Yield();
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["ExecutionId"] = ExecutionId, ["WorkflowId"] = S.WorkflowId });
        using var span = StartExecutionSpan();
        try
        {
            _workflow ??= await workflows.LoadAsync(S.WorkflowId, S.Version)
                ?? throw new InvalidOperationException($"workflow '{S.WorkflowId}' version {S.Version} is gone");
            _runState ??= JsonNode.Parse(S.StateJson) as JsonObject ?? [];
            metrics.Track(ExecutionId, S.WorkflowId, S.Status);
            await JoinAdmissionAsync();
            using var deadline = S.Deadline is { } at ? new CancellationTokenSource(Max(at - time.GetUtcNow(), TimeSpan.Zero), time) : new CancellationTokenSource();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(_cancellation.Token, deadline.Token, _shutdown.Token);
            if (S.CancelRequested)
            {
                _cancellation.Cancel();
            }

            await RunNodesAsync(stop.Token, deadline.Token);
        }
        catch (InconsistentStateException ex) when (!_shutdown.IsCancellationRequested)
        {
            // Storage holds a write this activation does not know of: continuing would overwrite it and
            // failing the run would record a failure that did not happen. The next activation (woken
            // on deactivation, or by the reminder) resumes from what is stored.
            Log.CheckpointConflict(logger, ExecutionId, ex);
            this.DeactivateOnIdle();
        }
        catch (Exception ex) when (ex is OrleansMessageRejectionException or TimeoutException && !_shutdown.IsCancellationRequested && !S.Status.IsTerminal())
        {
            // The cluster could not answer — a silo that just died is still in the directory, a call timed out — and
            // the run is not at fault. Failing it would turn a failover into a lost execution (measured: a run resumed
            // on a new silo failed because the workflow definition's grain was still addressed to the dead one). The
            // activation leaves; the recovery reminder, or the next call, resumes the run from its last checkpoint.
            Log.RunLoopInterrupted(logger, ExecutionId, ex.GetBaseException().Message);
            this.DeactivateOnIdle();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !_shutdown.IsCancellationRequested && !S.Status.IsTerminal())
        {
            // Never after the terminal event: a run that ended is not failed afterwards by some later step (measured:
            // a reminder call failing after execution.completed appended execution.failed to the same log).
            Log.RunLoopFailed(logger, ExecutionId, ex);
            await FinishAsync(ExecutionStatus.Failed, new ExecutionError("InternalError", ex.Message, S.CurrentNodeId, S.CurrentAttempt), stoppedNodes: null);
        }
    }

    private async Task RunNodesAsync(CancellationToken stop, CancellationToken deadline)
    {
        var workflow = _workflow!;
        var checkpointed = S.LastSeq;
        if (S.Status == ExecutionStatus.Queued)
        {
            Begin(workflow, run: !stop.IsCancellationRequested);
        }
        else if (_begunInThisActivation)
        {
            // Start already recorded execution.started and the first node.started with the request.
        }
        else if (S.CurrentNodeId is not null && S.NextAttemptAt is null && !stop.IsCancellationRequested)
        {
            // The node was in flight when the last activation ended: it runs again with the same attempt and key.
            var data = new JsonObject { ["resumed"] = true };
            if (S.AttemptEmittedProgress)
            {
                // The resumed attempt streams its output again from the start: what the interrupted run emitted is void.
                data["discardProgress"] = true;
            }

            Append(EventTypes.NodeStarted, S.CurrentNodeId, S.CurrentAttempt, data);
        }

        _begunInThisActivation = false;
        if (S.LastSeq != checkpointed)
        {
            await CommitAsync();
        }

        while (!S.Status.IsTerminal() && S.CurrentNodeId is { } nodeId && !stop.IsCancellationRequested)
        {
            var node = workflow.Nodes[nodeId];
            if (S.NextAttemptAt is { } retryAt)
            {
                if (!await WaitUntilAsync(retryAt, stop))
                {
                    break;
                }

                S.NextAttemptAt = null;
                S.CurrentAttempt++;
                S.AttemptStartedAt = time.GetUtcNow();
                Append(EventTypes.NodeStarted, nodeId, S.CurrentAttempt);
                await CommitAsync();
            }

            using var nodeScope = logger.BeginScope(new Dictionary<string, object> { ["NodeId"] = nodeId, ["Attempt"] = S.CurrentAttempt });
            using var nodeSpan = StartNodeSpan(nodeId, S.CurrentAttempt);
            var attemptStarted = time.GetTimestamp();
            var outcome = await RunWithPermitsAsync(node, stop);
            metrics.NodeAttemptEnded(S.WorkflowId, nodeId, outcome.Name, time.GetElapsedTime(attemptStarted));
            EndNodeSpan(nodeSpan, outcome);
            switch (outcome)
            {
                case AttemptOutcome.Succeeded succeeded:
                    await CompleteNodeAsync(node, succeeded.Result);
                    break;
                case AttemptOutcome.Failed failed when failed.Retryable && node.Retry.IsRetryable(failed.ErrorType) && S.CurrentAttempt < node.Retry.MaxAttempts:
                    await ScheduleRetryAsync(node, failed);
                    break;
                case AttemptOutcome.Failed failed:
                    Append(EventTypes.NodeFailed, nodeId, S.CurrentAttempt, ErrorData(failed.ErrorType, failed.Message));
                    await FinishAsync(ExecutionStatus.Failed, new ExecutionError(failed.ErrorType, failed.Message, nodeId, S.CurrentAttempt), stoppedNodes: null);
                    return;
                case AttemptOutcome.Stopped stopped:
                    await StopAsync(deadline, [nodeId], stopped.Abandoned);
                    return;
            }
        }

        if (!S.Status.IsTerminal() && stop.IsCancellationRequested)
        {
            await StopAsync(deadline, S.CurrentNodeId is { } current ? [current] : [], abandoned: false);
        }
    }

    /// <summary>The run begins: status running, execution.started, and the start node entered (unless it is already stopping).</summary>
    private void Begin(CompiledWorkflow workflow, bool run)
    {
        S.Status = ExecutionStatus.Running;
        S.StartedAt = time.GetUtcNow();
        Append(EventTypes.ExecutionStarted);
        metrics.Track(ExecutionId, S.WorkflowId, S.Status);
        if (run)
        {
            EnterNode(workflow.Start.Id);
        }
    }

    private void EnterNode(string nodeId)
    {
        var visits = S.Visits.GetValueOrDefault(nodeId) + 1;
        S.Visits[nodeId] = visits;
        S.CurrentNodeId = nodeId;
        S.CurrentAttempt = 1;
        S.AttemptStartedAt = time.GetUtcNow();
        S.NextAttemptAt = null;
        Append(EventTypes.NodeStarted, nodeId, 1, visits > 1 ? new JsonObject { ["visit"] = visits } : null);
    }

    private async Task CompleteNodeAsync(CompiledNode node, StepResult result)
    {
        RunState.Apply(_runState!, node.Id, result);
        S.StateJson = _runState!.ToJsonString();
        Append(EventTypes.NodeCompleted, node.Id, S.CurrentAttempt, new JsonObject { ["output"] = result.Output?.DeepClone() });

        string? next;
        try
        {
            next = node.NextNodeId(Scope());
        }
        catch (ExpressionException ex)
        {
            await FinishAsync(ExecutionStatus.Failed, new ExecutionError("ExpressionError", ex.Message, node.Id, S.CurrentAttempt), stoppedNodes: null);
            return;
        }

        if (next is null)
        {
            S.ResultJson = S.StateJson;
            await FinishAsync(ExecutionStatus.Succeeded, error: null, stoppedNodes: null);
            return;
        }

        if (_workflow!.Nodes[next].MaxVisits is { } bound && S.Visits.GetValueOrDefault(next) >= bound)
        {
            await FinishAsync(
                ExecutionStatus.Failed,
                new ExecutionError("IterationLimitExceeded", $"node '{next}' would run more than its maxVisits of {bound}", next, null),
                stoppedNodes: null);
            return;
        }

        EnterNode(next);
        await CommitAsync();
    }

    private async Task ScheduleRetryAsync(CompiledNode node, AttemptOutcome.Failed failed)
    {
        var delay = Max(node.Retry.DelayBefore(S.CurrentAttempt + 1, Random.Shared.NextDouble()), failed.RetryAfter ?? TimeSpan.Zero);
        S.NextAttemptAt = time.GetUtcNow() + delay;
        var data = ErrorData(failed.ErrorType, failed.Message);
        data["nextAttempt"] = S.CurrentAttempt + 1;
        data["delayMs"] = (long)delay.TotalMilliseconds;
        if (S.AttemptEmittedProgress)
        {
            // The next attempt streams its output again from the start (LLM tokens): what this one emitted is void.
            data["discardProgress"] = true;
        }

        Append(EventTypes.NodeRetrying, node.Id, S.CurrentAttempt, data);
        metrics.NodeRetrying(S.WorkflowId, node.Id);
        await CommitAsync();
    }

    /// <summary>Ends the run as cancelled or timed out, unless this activation is only shutting down.</summary>
    private async Task StopAsync(CancellationToken deadline, IReadOnlyList<string> stoppedNodes, bool abandoned)
    {
        _abandonedStep = abandoned;
        if (_cancellation.IsCancellationRequested || S.CancelRequested)
        {
            await FinishAsync(ExecutionStatus.Cancelled, error: null, stoppedNodes);
        }
        else if (deadline.IsCancellationRequested)
        {
            await FinishAsync(
                ExecutionStatus.TimedOut,
                new ExecutionError("ExecutionTimedOut", $"the execution passed its overall timeout of {_workflow!.Timeout}", S.CurrentNodeId, S.CurrentAttempt),
                stoppedNodes);
        }
        else
        {
            // Shutting down: the checkpoint already says which node to resume.
            await CommitAsync();
        }
    }

    private async Task FinishAsync(ExecutionStatus status, ExecutionError? error, IReadOnlyList<string>? stoppedNodes)
    {
        S.Status = status;
        S.Error = error;
        S.CompletedAt = time.GetUtcNow();
        S.NextAttemptAt = null;
        var data = new JsonObject { ["status"] = status.ToWireName() };
        switch (status)
        {
            case ExecutionStatus.Succeeded:
                data["result"] = JsonNode.Parse(S.ResultJson ?? "null");
                break;
            case ExecutionStatus.Cancelled:
                data["reason"] = S.CancelReason;
                data["stoppedNodes"] = new JsonArray((stoppedNodes ?? []).Select(n => (JsonNode?)n).ToArray());
                data["abandoned"] = _abandonedStep;
                break;
            default:
                data["error"] = error is null ? null : ErrorData(error.Type, error.Message);
                data["stoppedNodes"] = stoppedNodes is null ? null : new JsonArray(stoppedNodes.Select(n => (JsonNode?)n).ToArray());
                break;
        }

        Append(status switch
        {
            ExecutionStatus.Succeeded => EventTypes.ExecutionCompleted,
            ExecutionStatus.Cancelled => EventTypes.ExecutionCancelled,
            ExecutionStatus.TimedOut => EventTypes.ExecutionTimedOut,
            _ => EventTypes.ExecutionFailed,
        }, data: data);
        await CommitAsync();
        Log.Finished(logger, ExecutionId, status.ToWireName());
        metrics.ExecutionFinished(ExecutionId, S.WorkflowId, status);
        await ReleaseAdmissionAsync();
        try
        {
            await UnregisterRecoveryReminderAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The reminder service may be unreachable (its silo just died); the next tick finds the run ended and unregisters.
            Log.ReminderCleanupFailed(logger, ExecutionId, ex);
        }

        // A finished execution leaves memory as soon as its callers are answered (as Temporal evicts a closed
        // workflow from its cache): everything it answers from now on is in storage. Kept active, each one
        // stayed until idle collection, and the GC copied every run's activation into the old generations:
        // at 1,000 starts/s, start p99 58-110 ms with ~0.3 s of GC pauses in 5 s; deactivated, 19-21 ms and half the pauses.
        this.DeactivateOnIdle();
    }

    /// <summary>Runs one attempt of <paramref name="node"/>: timeout, progress flushing, abandonment after the grace period.</summary>
    private async Task<AttemptOutcome> RunAttemptAsync(CompiledNode node, CancellationToken stop)
    {
        using var nodeTimeout = node.Timeout is { } limit
            ? new CancellationTokenSource(Max(S.AttemptStartedAt!.Value + limit - time.GetUtcNow(), TimeSpan.Zero), time)
            : new CancellationTokenSource();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop, nodeTimeout.Token);
        var scope = Scope();
        JsonObject settings;
        try
        {
            settings = node.RenderSettings(scope);
        }
        catch (ExpressionException ex)
        {
            return new AttemptOutcome.Failed("ExpressionError", ex.Message, Retryable: false);
        }

        var progress = new ProgressBuffer();
        S.AttemptEmittedProgress = false;
        var context = new StepContext
        {
            ExecutionId = ExecutionId,
            NodeId = node.Id,
            Attempt = S.CurrentAttempt,
            IdempotencyKey = IdempotencyKey(node.Id),
            AttemptStartedAt = S.AttemptStartedAt!.Value,
            Settings = settings,
            DeferredSettings = node.DeferredSettings,
            Input = Input?.DeepClone(),
            State = (JsonObject)_runState!.DeepClone(),
            Scope = scope,
            CancellationToken = attempt.Token,
            Logger = logger,
            Services = services,
            TimeProvider = time,
            Priority = S.Priority,
            EmitProgress = chunk =>
            {
                progress.Add(chunk);
                return ValueTask.CompletedTask;
            },
        };

        var step = Task.Run(() => node.Step.ExecuteAsync(context), CancellationToken.None);
        var abandoned = await AwaitStepAsync(step, node.Id, progress, attempt.Token);
        await FlushProgressAsync(node.Id, progress);
        if (abandoned)
        {
            Log.StepAbandoned(logger, ExecutionId, node.Id, S.CurrentAttempt);
            return stop.IsCancellationRequested
                ? new AttemptOutcome.Stopped(Abandoned: true)
                : new AttemptOutcome.Failed("StepTimeout", $"node '{node.Id}' passed its timeout of {node.Timeout} and ignored cancellation; abandoned", Retryable: true);
        }

        try
        {
            var result = await step;
            return OutputTooLarge(result) is { } problem ? new AttemptOutcome.Failed("OutputTooLarge", problem, Retryable: false) : new AttemptOutcome.Succeeded(result);
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            return new AttemptOutcome.Stopped(Abandoned: false);
        }
        catch (OperationCanceledException) when (nodeTimeout.IsCancellationRequested)
        {
            return new AttemptOutcome.Failed("StepTimeout", $"node '{node.Id}' passed its timeout of {node.Timeout}", Retryable: true);
        }
        catch (StepException ex)
        {
            return new AttemptOutcome.Failed(ex.ErrorType, ex.Message, ex.Retryable, ex.RetryAfter);
        }
        catch (ExpressionException ex)
        {
            return new AttemptOutcome.Failed("ExpressionError", ex.Message, Retryable: false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new AttemptOutcome.Failed(ex.GetType().Name, ex.Message, Retryable: true);
        }
    }

    /// <summary>
    /// Waits for the step, flushing progress as it comes. Returns true when the step ignored its
    /// cancelled token past the grace period and was abandoned (it may still be running).
    /// </summary>
    private async Task<bool> AwaitStepAsync(Task step, string nodeId, ProgressBuffer progress, CancellationToken token)
    {
        var cancelled = Task.Delay(Timeout.InfiniteTimeSpan, token);
        while (!step.IsCompleted)
        {
            var woke = await Task.WhenAny(step, progress.Signal, cancelled);
            if (woke == progress.Signal && !step.IsCompleted)
            {
                // Coalescing window: what arrives meanwhile goes into the same event and the same write.
                await Task.WhenAny(step, cancelled, Task.Delay(_options.ProgressFlushInterval, time));
                await FlushProgressAsync(nodeId, progress);
            }
            else if (woke == cancelled)
            {
                await Task.WhenAny(step, Task.Delay(_options.AbandonGracePeriod, time));
                return !step.IsCompleted;
            }
        }

        return false;
    }

    private async Task FlushProgressAsync(string nodeId, ProgressBuffer progress)
    {
        var chunks = progress.Take();
        if (chunks.Count == 0)
        {
            return;
        }

        S.AttemptEmittedProgress = true;
        foreach (var batch in chunks.Chunk(_options.MaxChunksPerProgressEvent))
        {
            var items = batch.Select(c => Encoding.UTF8.GetByteCount(c.ToJsonString()) > _options.MaxPayloadBytes
                ? new JsonObject { ["truncated"] = true, ["reason"] = $"chunk over {_options.MaxPayloadBytes} bytes" }
                : c.DeepClone());
            Append(EventTypes.NodeProgress, nodeId, S.CurrentAttempt, new JsonObject { ["chunks"] = new JsonArray(items.ToArray()) });
        }

        await CommitAsync();
    }

    private async Task<bool> WaitUntilAsync(DateTimeOffset at, CancellationToken stop)
    {
        var delay = at - time.GetUtcNow();
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, stop).ContinueWith(_ => { }, TaskScheduler.Current);
        }

        return !stop.IsCancellationRequested;
    }

    private string? OutputTooLarge(StepResult result)
    {
        var size = Encoding.UTF8.GetByteCount(result.Output?.ToJsonString() ?? "") + Encoding.UTF8.GetByteCount(result.StatePatch?.ToJsonString() ?? "");
        return size > _options.MaxPayloadBytes ? $"the step's output is {size} bytes, over the limit of {_options.MaxPayloadBytes} (AgentOrleans:Executions:MaxPayloadBytes)" : null;
    }

    private string IdempotencyKey(string nodeId)
    {
        var visit = S.Visits.GetValueOrDefault(nodeId, 1);
        return visit > 1 ? $"{ExecutionId}:{nodeId}.{visit}:{S.CurrentAttempt}" : $"{ExecutionId}:{nodeId}:{S.CurrentAttempt}";
    }

    private ExpressionScope Scope() => new(Input, _runState);

    // The input never changes once the execution exists: parsed once, not per node and attempt.
    private JsonNode? Input => S.InputJson is null ? null : _input ??= JsonNode.Parse(S.InputJson);

    private static JsonObject ErrorData(string type, string message) => new() { ["type"] = type, ["message"] = message };

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
