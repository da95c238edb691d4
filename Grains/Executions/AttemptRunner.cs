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
    public async Task<AttemptOutcome> RunAsync(CompiledNode node, CancellationToken stop)
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
        var journal = new AttemptJournal(state.Journal);
        state.AttemptEmittedProgress = false;
        var context = new StepContext
        {
            ExecutionId = transitions.ExecutionId,
            NodeId = node.Id,
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
        };

        var step = Task.Run(() => node.Step.ExecuteAsync(context), CancellationToken.None);
        var abandoned = await AwaitStepAsync(step, node.Id, progress, journal, attempt.Token);
        await FlushAsync(node.Id, progress, journal);
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
    private async Task<bool> AwaitStepAsync(Task step, string nodeId, ProgressBuffer progress, AttemptJournal journal, CancellationToken token)
    {
        var cancelled = Task.Delay(Timeout.InfiniteTimeSpan, token);
        while (!step.IsCompleted)
        {
            var woke = await Task.WhenAny(step, progress.Signal, journal.Signal, cancelled);
            if (woke == journal.Signal && !step.IsCompleted)
            {
                // The step waits for its record to be durable: no coalescing window.
                await FlushAsync(nodeId, progress, journal);
            }
            else if (woke == progress.Signal && !step.IsCompleted)
            {
                // Coalescing window: what arrives meanwhile goes into the same event and the same write.
                await Task.WhenAny(step, cancelled, journal.Signal, Task.Delay(options.ProgressFlushInterval, time, CancellationToken.None));
                await FlushAsync(nodeId, progress, journal);
            }
            else if (woke == cancelled)
            {
                await Task.WhenAny(step, Task.Delay(options.AbandonGracePeriod, time, CancellationToken.None));
                return !step.IsCompleted;
            }
        }

        return false;
    }

    /// <summary>Progress and journal records in one checkpoint, the progress first: a record never outruns what was streamed before it.</summary>
    private async Task FlushAsync(string nodeId, ProgressBuffer progress, AttemptJournal journal)
    {
        var emitted = transitions.AppendProgress(nodeId, progress.Take());
        var records = journal.Take();
        foreach (var (key, json, _) in records)
        {
            transitions.RecordJournal(key, json);
        }

        if (emitted || records.Count > 0)
        {
            await checkpoint();
        }

        records.ForEach(r => r.Durable.TrySetResult());
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static partial class Log
    {
        [LoggerMessage(5, LogLevel.Warning, "Execution {ExecutionId} node {NodeId} attempt {Attempt} ignored cancellation and was abandoned")]
        public static partial void StepAbandoned(ILogger logger, string executionId, string nodeId, int attempt);
    }
}
