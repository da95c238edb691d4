using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.StartupTasks;

/// <summary>
/// Asks each configured startup task to run once this silo is active, and keeps asking in the background until the
/// task has finished. Its start returns at once: a slow or failing task never holds the silo back (readiness, not
/// start, waits for the tasks that gate it).
/// </summary>
internal sealed partial class StartupTaskRunner(
    IGrainFactory grains,
    IOptions<StartupTaskOptions> tasks,
    IOptions<StartupTaskRunnerOptions> options,
    TimeProvider time,
    ILogger<StartupTaskRunner> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(StartupTaskRunner), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        if (tasks.Value.Tasks.Count > 0)
        {
            _running = Task.Run(() => Task.WhenAll(tasks.Value.Tasks.Values.Select(task => FollowAsync(task, _stopping.Token))), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task FollowAsync(StartupTask task, CancellationToken stopping)
    {
        var grain = grains.GetGrain<IStartupTaskGrain>(task.Name);
        string? lastMessage = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var view = await grain.RunAsync(task.Spec).WaitAsync(stopping);
                if (view.IsFinished)
                {
                    Log.Finished(logger, task.Name, view.Status, view.RunKey, view.ExecutionId, view.Message);
                    return;
                }

                if (view.Message != lastMessage && view.Message is not null)
                {
                    Log.Waiting(logger, task.Name, view.Message);
                }

                lastMessage = view.Message;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The cluster is still forming, or storage does not answer: ask again.
                Log.Unreachable(logger, task.Name, ex);
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Startup task {Name} has {Status} (run key {RunKey}, execution {ExecutionId}){Note}")]
        private static partial void Finished(ILogger logger, string name, string status, string runKey, string executionId, string note);

        public static void Finished(ILogger logger, string name, StartupTaskStatus status, string runKey, string? executionId, string? message) =>
            Finished(logger, name, status.ToWireName(), runKey, executionId ?? "not started", message is null ? "" : $": {message}");

        [LoggerMessage(2, LogLevel.Information, "Startup task {Name} waits: {Message}")]
        public static partial void Waiting(ILogger logger, string name, string message);

        [LoggerMessage(3, LogLevel.Warning, "Startup task {Name} could not be asked to run; asking again shortly")]
        public static partial void Unreachable(ILogger logger, string name, Exception exception);
    }
}
