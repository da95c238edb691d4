using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Steps.BuiltIn;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The nodes the run loop does not hand to a step: a <c>wait</c> node, which parks the run until its signal or its
/// timeout, and a <c>delay</c> longer than ParkAfter, which sleeps out of memory until it ends.
/// </summary>
internal sealed partial class ExecutionGrain
{
    /// <summary>Runs a wait node; true when the run goes on at once (a buffered signal, the timeout), false when it parks.</summary>
    private async Task<bool> RunWaitAsync(CompiledWorkflow workflow, CompiledNode node)
    {
        WaitSettings settings;
        try
        {
            settings = WaitStep.Read(node.RenderSettings(_transitions.Scope()));
        }
        catch (ExpressionException ex)
        {
            return await FailNodeAsync(node, new AttemptOutcome.Failed("ExpressionError", ex.Message, Retryable: false));
        }

        if (Execution.Status == ExecutionStatus.Waiting)
        {
            return Execution.Waiting?.Until is { } until && until <= time.GetUtcNow() && await EndWaitAtTimeoutAsync(workflow, node, settings);
        }

        var (taken, refused) = _transitions.TakeBufferedSignal(settings.Signal, settings);
        if (taken is not null)
        {
            _transitions.EndWait(workflow, node, ExecutionTransitions.Payload(taken));
            await CheckpointAsync();
            return !Execution.Status.IsTerminal();
        }

        var deadline = settings.Timeout is { } timeout ? Execution.AttemptStartedAt + timeout : null;
        _transitions.Wait(node.Id, settings.Signal, deadline, refused);
        await CommitAsync();

        // A wait resumed long after its node started may be over already; a signal taken while the wait was written ended it.
        return deadline <= time.GetUtcNow() || Execution.Status != ExecutionStatus.Waiting;
    }

    private async Task<bool> EndWaitAtTimeoutAsync(CompiledWorkflow workflow, CompiledNode node, WaitSettings settings)
    {
        if (settings.HasTimeoutOutput)
        {
            _transitions.EndWait(workflow, node, settings.TimeoutOutput?.DeepClone());
            await CheckpointAsync();
            return !Execution.Status.IsTerminal();
        }

        return await FailNodeAsync(node, _transitions.TimeOutWait());
    }

    /// <summary>The wait node's attempt failed: retried after its backoff (true: the loop goes on to it), or the run fails.</summary>
    private async Task<bool> FailNodeAsync(CompiledNode node, AttemptOutcome.Failed failed)
    {
        if (!_transitions.FailAttempt(node, failed, Random.Shared.NextDouble()))
        {
            await FinishAsync();
            return false;
        }

        metrics.NodeRetrying(Execution.WorkflowId, node.Id);
        await CommitAsync();
        return true;
    }

    /// <summary>
    /// A delay node whose attempt ends further off than ParkAfter: the run records when it wakes and leaves the loop
    /// (true), to sleep out of memory. Closer than that, the delay step waits in memory as any step does.
    /// </summary>
    private async Task<bool> SleepsAsync(CompiledNode node)
    {
        if (node.Step is not DelayStep || LongDelayEnd(node) is not { } end)
        {
            Execution.SleepingUntil = null;
            return false;
        }

        if (Execution.SleepingUntil != end)
        {
            Execution.SleepingUntil = end;
            await CommitAsync();
        }

        return true;
    }

    private DateTimeOffset? LongDelayEnd(CompiledNode node)
    {
        try
        {
            var end = Execution.AttemptStartedAt + SettingsReader.ReadDuration(node.RenderSettings(_transitions.Scope()), "duration");
            return end - time.GetUtcNow() > _options.ParkAfter ? end : null;
        }
        catch (ExpressionException)
        {
            // The attempt itself reports it, as for any step whose settings cannot be rendered.
            return null;
        }
    }
}
