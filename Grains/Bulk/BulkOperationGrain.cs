using System.Threading.RateLimiting;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Index;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace AgentOrleans.Grains.Bulk;

/// <summary>
/// A bulk operation: a loop on this activation pages through the index (newest first, a keyset cursor) and applies the
/// action to each execution, at most <see cref="BulkOptions.ActionsPerSecond"/>, checkpointing cursor and counts after
/// each page. A durable reminder brings a running operation back on a surviving silo, where it resumes from the last
/// checkpointed cursor; the page in flight is taken again, which counts the same (the actions are idempotent).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Nothing disposes a grain; the token source and limiter live as long as the activation.")]
internal sealed partial class BulkOperationGrain(
    [PersistentState("bulk", StorageNames.Grains)] IPersistentState<BulkState> state,
    IExecutionIndex index,
    IOptions<BulkOptions> options,
    TimeProvider time,
    ILogger<BulkOperationGrain> logger) : Grain, IBulkOperationGrain, IRemindable
{
    private const string ReminderName = "bulk";

    private readonly BulkOptions _options = options.Value;
    private readonly CancellationTokenSource _shutdown = new();
    private RateLimiter? _limiter;
    private Task? _loop;

    private BulkState Operation => state.State;

    private bool IsRunning => Operation is { Exists: true, CompletedAt: null };

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            EnsureLoop();
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _shutdown.Cancel();
        if (_loop is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
        }

        // Hand-over: forwarded to the next activation, on another silo, so the operation goes on before the reminder's tick.
        if (IsRunning && reason.ReasonCode == DeactivationReasonCode.ShuttingDown)
        {
            await this.AsReference<IBulkOperationGrain>().WakeAsync();
        }
    }

    public async Task<BulkStartResult> StartAsync(BulkRequest request)
    {
        var hash = request.Hash();
        if (Operation.Exists)
        {
            return new BulkStartResult(Operation.RequestHash == hash ? BulkStartOutcome.AlreadyStarted : BulkStartOutcome.Conflict, Progress());
        }

        Operation.Exists = true;
        Operation.Request = request;
        Operation.RequestHash = hash;
        Operation.CreatedAt = time.GetUtcNow();

        // The reminder before the checkpoint: an operation stored without one would never resume after a lost silo.
        await this.RegisterOrUpdateReminder(ReminderName, _options.RecoveryReminderPeriod, _options.RecoveryReminderPeriod);
        await state.WriteStateAsync();
        Log.Started(logger, this.GetPrimaryKeyString(), request.Action);
        EnsureLoop();
        return new BulkStartResult(BulkStartOutcome.Started, Progress());
    }

    public Task<BulkProgress?> GetAsync() => Task.FromResult(Operation.Exists ? Progress() : null);

    public Task WakeAsync()
    {
        if (IsRunning)
        {
            EnsureLoop();
        }

        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (IsRunning)
        {
            EnsureLoop();
            return;
        }

        // Completed, or never stored (a start whose write failed): nothing to resume.
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private void EnsureLoop()
    {
        if (_loop is null || _loop.IsCompleted)
        {
            _loop = RunAsync();
        }
    }

    private async Task RunAsync()
    {
        // Leave the caller's turn first: the loop never runs inside a request.
        await Task.Yield();
        _limiter ??= new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, _options.ActionsPerSecond / 10),
            TokensPerPeriod = Math.Max(1, _options.ActionsPerSecond / 10),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100 * Math.Max(1, 10 / _options.ActionsPerSecond)),
            QueueLimit = int.MaxValue,
            AutoReplenishment = true,
        });
        try
        {
            while (IsRunning && !_shutdown.IsCancellationRequested)
            {
                // An operation that runs for hours is not collected as idle between pages.
                DelayDeactivation(TimeSpan.FromMinutes(5));
                await RunPageAsync();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The index or storage could not be reached: the checkpoint says where to go on; the reminder's next tick does.
            Log.PageFailed(logger, this.GetPrimaryKeyString(), ex);
            return;
        }

        if (!IsRunning)
        {
            await ReceiveReminder(ReminderName, default);
        }
    }

    private async Task RunPageAsync()
    {
        var request = Operation.Request!;
        var page = await index.QueryAsync(BulkFilter.Frozen(request.Filter, Operation.CreatedAt), Operation.Cursor, _options.PageSize, _shutdown.Token);
        var outcomes = new (BulkItemOutcome Outcome, string? Message)[page.Items.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, page.Items.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = _shutdown.Token, TaskScheduler = TaskScheduler.Current },
            async (i, token) => outcomes[i] = await ApplyAsync(request, page.Items[i], token));

        Operation.Matched += page.Items.Count;
        for (var i = 0; i < outcomes.Length; i++)
        {
            _ = outcomes[i].Outcome switch
            {
                BulkItemOutcome.Done => Operation.Done++,
                BulkItemOutcome.Skipped => Operation.Skipped++,
                _ => Operation.Failed++,
            };
            if (outcomes[i] is { Outcome: BulkItemOutcome.Failed, Message: var message } && Operation.Errors.Count < _options.MaxShownErrors)
            {
                Operation.Errors.Add(new BulkError(page.Items[i].Id, message ?? "failed"));
            }
        }

        Operation.Cursor = page.Items.Count > 0 ? ExecutionCursor.After(page.Items[^1]) : Operation.Cursor;
        if (page.Next is null)
        {
            Operation.CompletedAt = time.GetUtcNow();
            Log.Completed(logger, this.GetPrimaryKeyString(), Operation.Matched, Operation.Done, Operation.Skipped, Operation.Failed);
        }

        await state.WriteStateAsync();
    }

    private async Task<(BulkItemOutcome, string?)> ApplyAsync(BulkRequest request, ExecutionSummary execution, CancellationToken token)
    {
        using var lease = await _limiter!.AcquireAsync(1, token);
        var retry = new ResiliencePipelineBuilder()
            .AddRetry(new Polly.Retry.RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                MaxDelay = TimeSpan.FromSeconds(5),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException and not OutOfMemoryException),
            })
            .Build();
        try
        {
            return await retry.ExecuteAsync(async _ => await BulkActions.ApplyAsync(GrainFactory, this.GetPrimaryKeyString(), request, execution), token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return (BulkItemOutcome.Failed, ex.GetBaseException().Message);
        }
    }

    private BulkProgress Progress() => new(
        this.GetPrimaryKeyString(), Operation.Request!, Operation.CompletedAt is not null, Operation.Matched, Operation.Done, Operation.Skipped, Operation.Failed,
        Operation.CreatedAt, Operation.CompletedAt, [.. Operation.Errors]);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Bulk operation {OperationId} started: {Action}")]
        public static partial void Started(ILogger logger, string operationId, BulkAction action);

        [LoggerMessage(2, LogLevel.Information, "Bulk operation {OperationId} completed: matched {Matched}, done {Done}, skipped {Skipped}, failed {Failed}")]
        public static partial void Completed(ILogger logger, string operationId, long matched, long done, long skipped, long failed);

        [LoggerMessage(3, LogLevel.Warning, "Bulk operation {OperationId} paused at a fault; its reminder resumes it from the last page")]
        public static partial void PageFailed(ILogger logger, string operationId, Exception exception);
    }
}
