using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Grains.StartupTasks;

/// <summary>
/// One startup task. Its calls take turns, so when every silo of a cluster asks it to run at the same moment the first
/// starts the execution and the others find it started; the execution id is derived from the run key
/// (<see cref="StartupTaskIds"/>), so even a start repeated after a lost checkpoint is the same run. What a start's
/// outcome and an execution's status mean for the task is <see cref="StartupTaskProgress"/>.
/// </summary>
internal sealed partial class StartupTaskGrain(
    [PersistentState("startupTask", StorageNames.Grains)] IPersistentState<StartupTaskState> state,
    TimeProvider time,
    ILogger<StartupTaskGrain> logger) : Grain, IStartupTaskGrain
{
    private StartupTaskState Task => state.State;

    private string Name => this.GetPrimaryKeyString();

    public async Task<StartupTaskView> RunAsync(StartupTaskSpec spec)
    {
        if (Task.RunKey == spec.RunKey && Task.ExecutionId is not null)
        {
            await RefreshAsync();
            return View();
        }

        if (BuiltInWorkflows.Find(spec.WorkflowId) is { } builtIn)
        {
            // Publishing identical content is idempotent: every silo may do it, the version stays.
            await GrainFactory.GetGrain<IWorkflowDefinitionGrain>(spec.WorkflowId).PublishAsync(builtIn);
        }

        var executionId = StartupTaskIds.Execution(Name, spec.RunKey);
        var started = await GrainFactory.GetGrain<IExecutionGrain>(executionId).StartAsync(new StartExecution(spec.WorkflowId, spec.Version, spec.InputJson));
        var outcome = StartupTaskProgress.OfStart(started, spec);
        if (started.Outcome == StartOutcome.Conflict)
        {
            Log.Changed(logger, Name, spec.RunKey, executionId);
        }

        var changed = Task.RunKey != spec.RunKey || Task.Status != outcome.Status || Task.Message != outcome.Message || outcome.ExecutionId is not null;
        if (changed)
        {
            Apply(spec.RunKey, outcome);
            await state.WriteStateAsync();
            Log.Progressed(logger, Name, spec.RunKey, Task.Status, executionId, Task.Message);
        }

        return View();
    }

    public async Task<StartupTaskView?> GetAsync()
    {
        if (Task.RunKey is null)
        {
            return null;
        }

        await RefreshAsync();
        return View();
    }

    private async Task RefreshAsync()
    {
        if (Task.ExecutionId is null || Task.Status is not StartupTaskStatus.Running)
        {
            return;
        }

        var snapshot = await GrainFactory.GetGrain<IExecutionGrain>(Task.ExecutionId).GetAsync();
        var outcome = StartupTaskProgress.OfExecution(Task.ExecutionId, snapshot);
        if (outcome.Status != Task.Status || outcome.ExecutionStatus != Task.ExecutionStatus)
        {
            Apply(Task.RunKey!, outcome);
            await state.WriteStateAsync();
            Log.Progressed(logger, Name, Task.RunKey!, Task.Status, Task.ExecutionId, Task.Message);
        }
    }

    private void Apply(string runKey, StartupTaskOutcome outcome)
    {
        Task.RunKey = runKey;
        Task.Status = outcome.Status;
        Task.ExecutionId = outcome.ExecutionId;
        Task.ExecutionStatus = outcome.ExecutionStatus;
        Task.Message = outcome.Message;
        Task.UpdatedAt = time.GetUtcNow();
    }

    private StartupTaskView View() => new()
    {
        Name = Name,
        RunKey = Task.RunKey!,
        Status = Task.Status,
        ExecutionId = Task.ExecutionId,
        ExecutionStatus = Task.ExecutionStatus,
        Message = Task.Message,
        UpdatedAt = Task.UpdatedAt,
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Startup task {Name} is {Status} (run key {RunKey}, execution {ExecutionId}){Note}")]
        private static partial void Progressed(ILogger logger, string name, string status, string runKey, string executionId, string note);

        public static void Progressed(ILogger logger, string name, string runKey, StartupTaskStatus status, string? executionId, string? message) =>
            Progressed(logger, name, status.ToWireName(), runKey, executionId ?? "not started", message is null ? "" : $": {message}");

        [LoggerMessage(2, LogLevel.Warning, "Startup task {Name}: its workflow or input changed but its run key {RunKey} did not, so {ExecutionId} stands; change the run key to run it again")]
        public static partial void Changed(ILogger logger, string name, string runKey, string executionId);
    }
}
