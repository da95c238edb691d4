using System.Diagnostics;
using AgentOrleans.Grains.Admission;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Telemetry;
using AgentOrleans.Grains.Tenants;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// One run of a workflow. Calls are answered from memory while the run loop (a task on this
/// activation, see ExecutionGrain.RunLoop.cs) awaits steps that run on the thread pool, so a
/// running step never blocks status, events or cancel. What each step of the run records is
/// decided by <see cref="ExecutionTransitions"/>; this grain stores, publishes and schedules.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Nothing disposes a grain; its token sources and lock live exactly as long as the activation.")]
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
    private readonly TaskCompletionSource _terminal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _cancellation = new();
    private readonly CancellationTokenSource _shutdown = new();

    // Calls interleave with the run loop at awaits; one write at a time keeps the storage etag consistent.
    private readonly SemaphoreSlim _commitLock = new(1, 1);

    // Both work on the state as read from storage: made on activation, and by the run loop for a run to drive.
    private ExecutionTransitions _transitions = null!;
    private AttemptRunner? _attempts;

    private CompiledWorkflow? _workflow;
    private Task? _runLoop;
    private IGrainReminder? _recoveryReminder; // as this activation registered it, with the etag to remove it by
    private long _durableSeq;

    // The status as last written: a run is reported ended only once its end is durable (see Snapshot).
    private ExecutionStatus _durableStatus;

    // Whether this activation entered the current node and checkpointed it (a start, a signal taken, a resume), so
    // the loop neither records a resume of that node nor writes it again.
    private bool _enteredInThisActivation;

    // Wakes or parks a run the loop left at a wait, a pause or a sleep (ExecutionGrain.Parking.cs).
    private IGrainTimer? _parkTimer;

    // Whether this activation knows the execution is in the admission set (it admitted or joined it).
    private bool _admissionCounted;
    private IGrainTimer? _admissionJoinRetry;

    // What status shows of a wait for resource pools; memory only, a resumed run queues again.
    private string? _waitingForPool;
    private int? _poolPosition;

    // Callers waiting in WaitAsync: an activation they wait on stays until they are answered (ExecutionGrain.Parking.cs).
    private int _longPolls;

    private ExecutionState Execution => state.State;

    private string ExecutionId => this.GetPrimaryKeyString();

    /// <summary>The tenant this execution belongs to, read from its key: its workflow, children and secrets are this tenant's.</summary>
    private string Tenant => TenantKey.TenantOf(ExecutionId);

    /// <summary>The id its caller knows it by (its key without the tenant), for what callers read.</summary>
    private string ShownId => TenantKey.Parse(ExecutionId).Id;

    public async Task<StartResult> StartAsync(StartExecution command)
    {
        var requestHash = StartRequest.Hash(command);
        if (Execution.Exists)
        {
            return Execution.RequestHash == requestHash
                ? new StartResult(StartOutcome.AlreadyStarted, Snapshot(), [])
                : new StartResult(StartOutcome.Conflict, Snapshot(), [new DefinitionProblem("", $"execution '{ShownId}' was started with a different request")]);
        }

        var workflow = await workflows.LoadAsync(Tenant, command.WorkflowId, command.Version);
        if (workflow is null)
        {
            return new StartResult(StartOutcome.WorkflowNotFound, null, []);
        }

        if (!StartRequest.TryParseInput(command.InputJson, workflow, out var input, out var problems))
        {
            return new StartResult(StartOutcome.InvalidInput, null, problems);
        }

        if (IsLaterStart(command))
        {
            return await ScheduleStartAsync(workflow, input, command, requestHash);
        }

        if (await AdmitAsync(command, workflow.WorkflowId) is { Admitted: false } refused)
        {
            return new StartResult(StartOutcome.Overloaded, null, [new DefinitionProblem("", refused.Reason!)]) { RetryAfter = refused.RetryAfter };
        }

        _workflow = workflow;
        _transitions.Queue(workflow, input, command, requestHash, Activity.Current?.Id);
        SeedRerun(command);

        // Nothing holds a run back between queued and started (admission refuses, pools wait per
        // node), so both are recorded with the start: one storage write and publish instead of two.
        Begin(workflow, run: true, command.By);
        _enteredInThisActivation = true;

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
        if (Execution.Exists && !_durableStatus.IsTerminal() && timeout > TimeSpan.Zero)
        {
            _longPolls++;
            try
            {
                await _terminal.Task.WaitAsync(timeout, time).ContinueWith(_ => { }, TaskScheduler.Current);
            }
            finally
            {
                _longPolls--;
            }
        }

        return Snapshot();
    }

    public Task<EventPage> GetEventsAsync(long after, int limit)
    {
        var (events, next, trimmed) = EventLog.Page(Execution.Events, after, Math.Clamp(limit, 1, 10_000), _durableSeq, Execution.TrimmedThrough);
        return Task.FromResult(new EventPage(events, next, trimmed, Execution.Exists, Execution.Status.IsTerminal() && next >= Execution.LastSeq));
    }

    public async Task<CancelResult> CancelAsync(string? reason, string? by = null)
    {
        if (!Execution.Exists)
        {
            return new CancelResult(false, false, null, $"no execution '{ShownId}'");
        }

        if (Execution.Status.IsTerminal())
        {
            return new CancelResult(true, false, Execution.Status, $"the execution already ended {Execution.Status.ToWireName()}; nothing changed");
        }

        if (!Execution.CancelRequested)
        {
            Execution.CancelRequested = true;
            Execution.CancelReason = reason;
            Execution.CancelBy = by;
            // Persisted before it is acknowledged: a cancel that was answered survives a lost silo.
            await CommitAsync(untilDurable: false);
            Log.CancelRequested(logger, ExecutionId, reason);
        }

        _cancellation.Cancel();
        EnsureRunLoop();
        return new CancelResult(true, true, Execution.Status, "cancellation requested");
    }

    public Task WakeAsync()
    {
        if (Execution.Exists && !Execution.Status.IsTerminal())
        {
            EnsureRunLoop();
        }

        return Task.CompletedTask;
    }
}
