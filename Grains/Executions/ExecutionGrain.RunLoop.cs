using AgentOrleans.Grains.Steps.BuiltIn;
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
    private void EnsureRunLoop()
    {
        if (_runLoop is null || _runLoop.IsCompleted)
        {
            _parkTimer?.Dispose();
            _parkTimer = null;
            _runLoop = RunThenParkAsync();
        }
    }

    private async Task RunThenParkAsync()
    {
        await RunLoopAsync();
        ScheduleParking();
    }

    private async Task RunLoopAsync()
    {
        // Leave the caller's turn first: the loop must never run inside a request.
        await Task.Yield();
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["ExecutionId"] = ExecutionId, ["WorkflowId"] = Execution.WorkflowId });
        using var span = StartExecutionSpan();
        try
        {
            _workflow ??= await workflows.LoadAsync(Tenant, Execution.WorkflowId, Execution.Version)
                ?? throw new InvalidOperationException($"workflow '{Execution.WorkflowId}' version {Execution.Version} is gone");
            _attempts ??= new AttemptRunner(_transitions, () => CommitAsync(), _options, time, services, logger, _shutdown.Token);
            if (!BeginsNow())
            {
                return;
            }

            metrics.Track(ExecutionId, Execution.WorkflowId, Execution.Status);
            await JoinAdmissionAsync();
            using var deadline = Execution.Deadline is { } at ? new CancellationTokenSource(Max(at - time.GetUtcNow(), TimeSpan.Zero), time) : new CancellationTokenSource();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(_cancellation.Token, deadline.Token, _shutdown.Token);
            if (Execution.CancelRequested)
            {
                _cancellation.Cancel();
            }

            await RunNodesAsync(stop.Token, deadline.Token);
        }
        catch (Exception ex) when (!_shutdown.IsCancellationRequested && ex is not OutOfMemoryException && (ex is InconsistentStateException || !Execution.Status.IsTerminal()))
        {
            await OnRunLoopFaultAsync(ex);
        }
    }

    /// <summary>The loop's error policy: what an exception that escaped the run means for the run.</summary>
    private async Task OnRunLoopFaultAsync(Exception ex)
    {
        switch (ex)
        {
            case InconsistentStateException:
                // Storage holds a write this activation does not know of: continuing would overwrite it and
                // failing the run would record a failure that did not happen. The next activation (woken
                // on deactivation, or by the reminder) resumes from what is stored.
                Log.CheckpointConflict(logger, ExecutionId, ex);
                this.DeactivateOnIdle();
                break;
            case OrleansMessageRejectionException or TimeoutException:
                // The cluster could not answer and the run is not at fault: failing it would turn a failover into a
                // lost execution (docs/decisions.md#cluster-faults-pause-the-run). The activation leaves; the
                // recovery reminder, or the next call, resumes the run from its last checkpoint.
                Log.RunLoopInterrupted(logger, ExecutionId, ex.GetBaseException().Message);
                this.DeactivateOnIdle();
                break;
            default:
                // Never after the terminal event (the filter): a run that ended is not failed afterwards by
                // some later step (docs/decisions.md#no-failure-after-the-terminal-event).
                Log.RunLoopFailed(logger, ExecutionId, ex);
                _transitions.Fail("InternalError", ex.Message);
                await FinishAsync();
                break;
        }
    }

    private async Task RunNodesAsync(CancellationToken stop, CancellationToken deadline)
    {
        var workflow = _workflow!;
        var checkpointed = Execution.LastSeq;
        if (Execution.Status == ExecutionStatus.Queued)
        {
            Begin(workflow, run: !stop.IsCancellationRequested);
        }
        else if (_enteredInThisActivation)
        {
            // The start (or the signal, or the resume) recorded the node's node.started with the request.
        }
        else if (Execution is { Status: ExecutionStatus.Running, CurrentNodeId: not null, NextAttemptAt: null, SleepingUntil: null } && !stop.IsCancellationRequested)
        {
            _transitions.ResumeAttempt();

            // Readers were told to drop what the attempt streamed: it streams its journal again, whatever came before.
            _continuesAfterWait = false;
        }

        _enteredInThisActivation = false;
        if (Execution.LastSeq != checkpointed)
        {
            await CommitAsync();
        }

        while (!Execution.Status.IsTerminal() && Execution.CurrentNodeId is { } nodeId && !stop.IsCancellationRequested)
        {
            var node = workflow.Nodes[nodeId];
            if (Execution.NextAttemptAt is { } retryAt)
            {
                if (!await WaitUntilAsync(retryAt, stop))
                {
                    break;
                }

                _transitions.BeginRetryAttempt();
                await CommitAsync();
            }

            if (node.Step is WaitStep)
            {
                if (await RunWaitAsync(workflow, node))
                {
                    continue;
                }

                break;
            }

            if (Execution.Status == ExecutionStatus.Waiting)
            {
                // The attempt waits for approvals: it goes on when a timeout has passed, else it stays parked.
                if (!_transitions.TimeOutWaitingApprovals())
                {
                    break;
                }

                _continuesAfterWait = true;
                await CommitAsync();
            }

            var cache = await LookUpCacheAsync(node);
            if (cache.Hit is { } cached)
            {
                _transitions.CompleteNode(workflow, node, cached, fromCache: true);
                await CheckpointAsync();
                continue;
            }

            if (await SleepsAsync(node))
            {
                break;
            }

            using var nodeScope = logger.BeginScope(new Dictionary<string, object> { ["NodeId"] = nodeId, ["Attempt"] = Execution.CurrentAttempt });
            using var nodeSpan = StartNodeSpan(nodeId, Execution.CurrentAttempt);
            var attemptStarted = time.GetTimestamp();
            var continuesAfterWait = _continuesAfterWait;
            _continuesAfterWait = false;
            var outcome = cache.Failure ?? await RunWithPermitsAsync(node, continuesAfterWait, stop);
            metrics.NodeAttemptEnded(Execution.WorkflowId, nodeId, outcome.Name, time.GetElapsedTime(attemptStarted));
            EndNodeSpan(nodeSpan, outcome);
            switch (outcome)
            {
                case AttemptOutcome.Succeeded succeeded:
                    await StoreInCacheAsync(node, cache, succeeded.Result);
                    _transitions.CompleteNode(workflow, node, succeeded.Result);
                    await CheckpointAsync();
                    break;
                case AttemptOutcome.Failed failed:
                    if (!_transitions.FailAttempt(node, failed, Random.Shared.NextDouble()))
                    {
                        await FinishAsync();
                        return;
                    }

                    metrics.NodeRetrying(Execution.WorkflowId, node.Id);
                    await CommitAsync();
                    break;
                case AttemptOutcome.Stopped stopped:
                    await StopAsync([nodeId], stopped.Abandoned, deadline);
                    return;
                case AttemptOutcome.AwaitingApprovals awaiting:
                    await AwaitApprovalsAsync(node, awaiting);
                    break;
                case AttemptOutcome.AwaitingBudget budget:
                    _transitions.AwaitBudget(node.Id, budget.Reason);
                    await CommitAsync();
                    break;
            }

            if (Execution.Status == ExecutionStatus.Waiting)
            {
                // The attempt waits for approvals (or budget): the run parks until one is decided or times out.
                break;
            }
        }

        if (!Execution.Status.IsTerminal() && stop.IsCancellationRequested)
        {
            await StopAsync(Execution.CurrentNodeId is { } current ? [current] : [], abandoned: false, deadline);
        }
    }

    private void Begin(CompiledWorkflow workflow, bool run, string? by = null)
    {
        _transitions.Begin(run ? StartNodeId(workflow) : null, by);
        metrics.Track(ExecutionId, Execution.WorkflowId, Execution.Status);
    }

    /// <summary>Ends the run as cancelled or timed out, unless this activation is only shutting down.</summary>
    private Task StopAsync(IReadOnlyList<string> stoppedNodes, bool abandoned, CancellationToken deadline)
    {
        _transitions.Stop(_cancellation.IsCancellationRequested, deadline.IsCancellationRequested, stoppedNodes, abandoned, _workflow!.Timeout);
        return CheckpointAsync();
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

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
