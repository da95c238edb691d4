using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Admission;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Telemetry;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// One run of a workflow. Calls are answered from memory while the run loop (a task on this
/// activation, see ExecutionGrain.RunLoop.cs) awaits steps that run on the thread pool, so a
/// running step never blocks status, events or cancel.
/// </summary>
internal sealed partial class ExecutionGrain(
    [PersistentState("execution", StorageNames.Grains)] IPersistentState<ExecutionState> state,
    WorkflowLoader workflows,
    IOptions<ExecutionOptions> options,
    IOptions<AdmissionOptions> admission,
    TimeProvider time,
    IServiceProvider services,
    AgentOrleansMetrics metrics,
    ILogger<ExecutionGrain> logger) : Grain, IExecutionGrain, IRemindable
{
    private const string RecoveryReminder = "recover";

    private readonly ExecutionOptions _options = options.Value;
    private CompiledWorkflow? _workflow;
    private Task? _runLoop;
    private IGrainReminder? _recoveryReminder; // as this activation registered it, with the etag to remove it by
    private readonly TaskCompletionSource _terminal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ExecutionState S => state.State;

    private string ExecutionId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _durableSeq = S.LastSeq;
        _durableStatus = S.Status;
        if (S.Exists && !S.Status.IsTerminal())
        {
            Log.Resuming(logger, ExecutionId, S.CurrentNodeId, S.CurrentAttempt);
            EnsureRunLoop();
        }
        else if (S.Exists)
        {
            // Brought back by a read: serve the reads that follow from memory for a while, then leave again.
            this.RegisterGrainTimer(() =>
            {
                this.DeactivateOnIdle();
                return Task.CompletedTask;
            }, new GrainTimerCreationOptions(_options.FinishedKeepAlive, Timeout.InfiniteTimeSpan));
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The run is not cancelled: it stays checkpointed as running and resumes wherever the grain is activated next.
        _shutdown.Cancel();
        metrics.Untrack(ExecutionId);
        if (_runLoop is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
        }

        // Hand-over: a message sent to an activation that is deactivating is forwarded to its next
        // activation, which a silo that is shutting down does not host. Without this the run would
        // wait for the recovery reminder (up to its period, 1 min by default) on another silo.
        if (S.Exists && !S.Status.IsTerminal() && reason.ReasonCode is DeactivationReasonCode.ShuttingDown or DeactivationReasonCode.ActivationIdle)
        {
            await this.AsReference<IExecutionGrain>().WakeAsync();
        }
    }

    public async Task<StartResult> StartAsync(StartExecution command)
    {
        var requestHash = RequestHash(command);
        if (S.Exists)
        {
            return S.RequestHash == requestHash
                ? new StartResult(StartOutcome.AlreadyStarted, Snapshot(), [])
                : new StartResult(StartOutcome.Conflict, Snapshot(), [new DefinitionProblem("", $"execution '{ExecutionId}' was started with a different request")]);
        }

        var workflow = await workflows.LoadAsync(command.WorkflowId, command.Version);
        if (workflow is null)
        {
            return new StartResult(StartOutcome.WorkflowNotFound, null, []);
        }

        if (!TryParseInput(command.InputJson, workflow, out var input, out var problems))
        {
            return new StartResult(StartOutcome.InvalidInput, null, problems);
        }

        if (await AdmitAsync(command, workflow.WorkflowId) is { Admitted: false } refused)
        {
            return new StartResult(StartOutcome.Overloaded, null, [new DefinitionProblem("", refused.Reason!)]) { RetryAfter = refused.RetryAfter };
        }

        var now = time.GetUtcNow();
        _workflow = workflow;
        S.Exists = true;
        S.WorkflowId = workflow.WorkflowId;
        S.Version = workflow.Version;
        S.InputJson = input?.ToJsonString();
        S.Status = ExecutionStatus.Queued;
        S.CreatedAt = now;
        S.Deadline = workflow.Timeout is { } timeout ? now + timeout : null;
        S.Parent = command.Parent;
        S.Priority = command.Priority;
        S.RequestHash = requestHash;
        S.TraceParent = Activity.Current?.Id;
        Append(EventTypes.ExecutionQueued, data: new JsonObject
        {
            ["workflowId"] = workflow.WorkflowId,
            ["version"] = workflow.Version,
            ["parentExecutionId"] = command.Parent?.ExecutionId,
            ["parentNodeId"] = command.Parent?.NodeId,
        });

        // Nothing holds a run back between queued and started (admission refuses, pools wait per
        // node), so both are recorded with the start: one storage write and publish instead of two.
        Begin(workflow, run: true);
        _begunInThisActivation = true;

        // The checkpoint and the recovery reminder are written side by side: both must hold before the
        // start is acknowledged, neither needs the other. A reminder left by a failed write finds
        // no execution on its first tick and unregisters itself.
        var reminder = this.RegisterOrUpdateReminder(RecoveryReminder, _options.RecoveryReminderPeriod, _options.RecoveryReminderPeriod);
        try
        {
            await CommitAsync(untilDurable: false);
        }
        catch
        {
            // Memory now holds a start that may not be stored (or stored with a lost reply): only a fresh
            // activation, reading storage, knows. Without this a retried start would answer "already started".
            this.DeactivateOnIdle();
            throw;
        }

        _recoveryReminder = await reminder;
        Log.Queued(logger, ExecutionId, workflow.WorkflowId, workflow.Version);
        metrics.ExecutionStarted(ExecutionId, workflow.WorkflowId);
        EnsureRunLoop();
        return new StartResult(StartOutcome.Started, Snapshot(), []);
    }

    public Task<ExecutionSnapshot?> GetAsync() => Task.FromResult(Snapshot());

    public async Task<ExecutionSnapshot?> WaitAsync(TimeSpan timeout)
    {
        if (S.Exists && !_durableStatus.IsTerminal() && timeout > TimeSpan.Zero)
        {
            await _terminal.Task.WaitAsync(timeout, time).ContinueWith(_ => { }, TaskScheduler.Current);
        }

        return Snapshot();
    }

    public Task<EventPage> GetEventsAsync(long after, int limit)
    {
        var (events, next, trimmed) = EventLog.Page(S.Events, after, Math.Clamp(limit, 1, 10_000), _durableSeq, S.TrimmedThrough);
        return Task.FromResult(new EventPage(events, next, trimmed, S.Exists, S.Status.IsTerminal() && next >= S.LastSeq));
    }

    public async Task<CancelResult> CancelAsync(string? reason)
    {
        if (!S.Exists)
        {
            return new CancelResult(false, false, null, $"no execution '{ExecutionId}'");
        }

        if (S.Status.IsTerminal())
        {
            return new CancelResult(true, false, S.Status, $"the execution already ended {S.Status.ToWireName()}; nothing changed");
        }

        if (!S.CancelRequested)
        {
            S.CancelRequested = true;
            S.CancelReason = reason;
            // Persisted before it is acknowledged: a cancel that was answered survives a lost silo.
            await CommitAsync(untilDurable: false);
            Log.CancelRequested(logger, ExecutionId, reason);
        }

        _cancellation.Cancel();
        EnsureRunLoop();
        return new CancelResult(true, true, S.Status, "cancellation requested");
    }

    public Task ResumeAsync()
    {
        if (S.Exists && !S.Status.IsTerminal())
        {
            EnsureRunLoop();
        }

        return Task.CompletedTask;
    }

    public Task WakeAsync() => ResumeAsync();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!S.Exists || S.Status.IsTerminal())
        {
            // A tick that raced the run's end (or woke an execution that never started): clean up and leave
            // memory again, as a finished run does.
            await ReleaseAdmissionAsync();
            await UnregisterRecoveryReminderAsync();
            this.DeactivateOnIdle();
            return;
        }

        EnsureRunLoop();
    }

    private async Task UnregisterRecoveryReminderAsync()
    {
        // The reminder this activation registered is removed as it was returned, etag included: one reminder-table
        // call per run instead of a read and a removal. A resumed activation never registered it and reads it. If
        // the copy is stale the removal throws, and the next tick finds the run ended and removes the current one.
        var reminder = _recoveryReminder ?? await this.GetReminder(RecoveryReminder);
        _recoveryReminder = null;
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// What readers may rely on: the status, result and events as durable. A run whose final
    /// checkpoint is still being written (slow or retried storage) is still reported running, so
    /// no caller sees "succeeded" before the log holds execution.completed (measured under load).
    /// </summary>
    private ExecutionSnapshot? Snapshot()
    {
        if (!S.Exists)
        {
            return null;
        }

        var ended = S.Status.IsTerminal() && _durableStatus.IsTerminal();
        var status = ended || !S.Status.IsTerminal() ? S.Status : _durableStatus;
        return new ExecutionSnapshot
        {
            Id = ExecutionId,
            WorkflowId = S.WorkflowId,
            Version = S.Version,
            Status = status,
            InputJson = S.InputJson,
            ResultJson = ended ? S.ResultJson : null,
            Error = ended ? S.Error : null,
            CurrentNodeId = ended ? null : S.CurrentNodeId,
            CurrentAttempt = ended ? null : S.CurrentAttempt,
            CreatedAt = S.CreatedAt,
            StartedAt = S.StartedAt,
            CompletedAt = ended ? S.CompletedAt : null,
            LastSeq = _durableSeq,
            CancelRequested = S.CancelRequested,
            Parent = S.Parent,
            WaitingForPool = _waitingForPool,
            PoolPosition = _poolPosition,
            Priority = S.Priority,
        };
    }

    private static bool TryParseInput(string? json, CompiledWorkflow workflow, out JsonNode? input, out IReadOnlyList<DefinitionProblem> problems)
    {
        input = null;
        try
        {
            input = string.IsNullOrWhiteSpace(json) ? null : JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            problems = [new DefinitionProblem("", $"the input is not valid JSON: {ex.Message}")];
            return false;
        }

        problems = workflow.ValidateInput(input);
        return problems.Count == 0;
    }

    private static string RequestHash(StartExecution command)
    {
        string input;
        try
        {
            input = command.InputJson is null ? "null" : DefinitionDocument.Canonical(JsonNode.Parse(command.InputJson));
        }
        catch (JsonException)
        {
            input = command.InputJson!;
        }

        var text = $"{command.WorkflowId}\n{command.Version}\n{input}\n{command.Parent?.ExecutionId}\n{command.Parent?.NodeId}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
