using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Steps;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Runs one attempt of a node: the step on the thread pool, its node timeout, its progress flushed
/// as it comes (coalesced, each flush a checkpoint) and its abandonment when it ignores its cancelled
/// token past the grace period. One per activation; the grain owns when it runs and what follows.
/// </summary>
internal sealed partial class AttemptRunner(
    ExecutionTransitions transitions,
    Func<Task> checkpoint,
    ExecutionOptions options,
    TimeProvider time,
    IServiceProvider services,
    ILogger logger,
    CancellationToken shutdown)
{
    /// <summary>
    /// Runs the current attempt of <paramref name="node"/>, or runs it again: after a lost activation, or, when
    /// <paramref name="continuesAfterWait"/>, after a wait of its own (an approval decided), whose earlier progress stays valid.
    /// </summary>
    public async Task<AttemptOutcome> RunAsync(CompiledNode node, bool continuesAfterWait, CancellationToken stop)
    {
        var state = transitions.State;
        using var nodeTimeout = node.Timeout is { } limit
            ? new CancellationTokenSource(Max(state.AttemptStartedAt!.Value + limit - time.GetUtcNow(), TimeSpan.Zero), time)
            : new CancellationTokenSource();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop, nodeTimeout.Token);
        var scope = transitions.Scope();
        JsonObject settings;
        try
        {
            settings = node.RenderSettings(scope);
        }
        catch (ExpressionException ex)
        {
            return AttemptOutcomes.FromException(ex, node, stopping: false, nodeTimedOut: false);
        }

        var progress = new ProgressBuffer();

        // Decisions taken while the attempt was not running join its journal before it reads it, on this thread.
        transitions.DeliverApprovalDecisions();
        var journal = new AttemptJournal(state.Journal);
        var usage = new AttemptUsage(state.Usage, state.Budget, state.CountedChildren, state.WorkflowId);
        if (!continuesAfterWait)
        {
            // A fresh attempt, or one whose readers were told to drop what it had streamed; after a wait that still stands.
            state.AttemptEmittedProgress = false;
        }

        var context = new StepContext
        {
            ExecutionId = transitions.ExecutionId,
            NodeId = node.Id,
            WorkflowId = state.WorkflowId,
            Attempt = state.CurrentAttempt,
            IdempotencyKey = transitions.IdempotencyKey(node.Id),
            AttemptStartedAt = state.AttemptStartedAt!.Value,
            Settings = settings,
            DeferredSettings = node.DeferredSettings,
            SecretSettings = node.SecretSettings,
            Input = transitions.Input?.DeepClone(),
            State = (JsonObject)transitions.WorkingState.DeepClone(),
            Scope = scope,
            CancellationToken = attempt.Token,
            ShutdownToken = shutdown,
            Logger = logger,
            Services = services,
            TimeProvider = time,
            Priority = state.Priority,
            EmitProgress = progress.AddAsync,
            Journal = journal,
            Usage = usage,
            CanAwaitApprovals = true,
            ContinuesAfterWait = continuesAfterWait,
            AnnounceChild = journal.AnnounceChildAsync,
        };

        var step = Task.Run(() => node.Step.ExecuteAsync(context), CancellationToken.None);
        var abandoned = await AwaitStepAsync(step, node.Id, progress, journal, usage, attempt.Token);
        await FlushAsync(node.Id, progress, journal, usage);
        if (abandoned)
        {
            Log.StepAbandoned(logger, transitions.ExecutionId, node.Id, state.CurrentAttempt);
            return AttemptOutcomes.Abandoned(node, stop.IsCancellationRequested);
        }

        try
        {
            return AttemptOutcomes.FromResult(await step, options.MaxPayloadBytes);
        }
        catch (Exception ex) when (stop.IsCancellationRequested || ex is not OutOfMemoryException)
        {
            return AttemptOutcomes.FromException(ex, node, stop.IsCancellationRequested, nodeTimeout.IsCancellationRequested);
        }
    }

    /// <summary>
    /// Waits for the step, flushing progress as it comes. Returns true when the step ignored its
    /// cancelled token past the grace period and was abandoned (it may still be running).
    /// </summary>
    private async Task<bool> AwaitStepAsync(Task step, string nodeId, ProgressBuffer progress, AttemptJournal journal, AttemptUsage usage, CancellationToken token)
    {
        var cancelled = Task.Delay(Timeout.InfiniteTimeSpan, token);
        while (!step.IsCompleted)
        {
            var woke = await Task.WhenAny(step, progress.Signal, journal.Signal, usage.Signal, cancelled);
            if ((woke == journal.Signal || woke == usage.Signal) && !step.IsCompleted)
            {
                // The step waits for its record to be durable: no coalescing window.
                await FlushAsync(nodeId, progress, journal, usage);
            }
            else if (woke == progress.Signal && !step.IsCompleted)
            {
                // Coalescing window: what arrives meanwhile goes into the same event and the same write.
                await Task.WhenAny(step, cancelled, journal.Signal, usage.Signal, Task.Delay(options.ProgressFlushInterval, time, CancellationToken.None));
                await FlushAsync(nodeId, progress, journal, usage);
            }
            else if (woke == cancelled)
            {
                await Task.WhenAny(step, Task.Delay(options.AbandonGracePeriod, time, CancellationToken.None));
                return !step.IsCompleted;
            }
        }

        return false;
    }

    /// <summary>
    /// Progress, journal records and children started in one checkpoint, the progress first: a record never outruns
    /// what was streamed before it. A child's event and its journal entry are always in the same checkpoint.
    /// </summary>
    private async Task FlushAsync(string nodeId, ProgressBuffer progress, AttemptJournal journal, AttemptUsage usage)
    {
        var emitted = transitions.AppendProgress(nodeId, progress.Take());
        var records = journal.Take();
        foreach (var (key, json, _) in records)
        {
            transitions.RecordJournal(key, json);
        }

        var children = journal.TakeChildren();
        foreach (var (key, child, _) in children)
        {
            transitions.AppendChildStarted(nodeId, key, child);
        }

        var used = usage.Take();
        foreach (var record in used)
        {
            transitions.RecordUsage(record);
        }

        if (emitted || records.Count > 0 || children.Count > 0 || used.Count > 0)
        {
            await checkpoint();
        }

        records.ForEach(r => r.Durable.TrySetResult());
        children.ForEach(c => c.Durable.TrySetResult());
        used.ForEach(u => u.Durable.TrySetResult());
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static partial class Log
    {
        [LoggerMessage(5, LogLevel.Warning, "Execution {ExecutionId} node {NodeId} attempt {Attempt} ignored cancellation and was abandoned")]
        public static partial void StepAbandoned(ILogger logger, string executionId, string nodeId, int attempt);
    }
}
