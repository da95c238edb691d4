using AgentOrleans.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Placement;

/// <summary>
/// While the silo is active: reports its active executions to the <see cref="IExecutionLoadGrain"/>
/// every refresh interval and keeps the answer in the <see cref="ExecutionLoadTable"/>.
/// </summary>
internal sealed partial class ExecutionLoadReporter(
    IGrainFactory grains,
    ILocalSiloDetails silo,
    AgentOrleansMetrics metrics,
    ExecutionLoadTable table,
    IOptions<ExecutionLoadOptions> options,
    TimeProvider time,
    ILogger<ExecutionLoadReporter> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(ExecutionLoadReporter), ServiceLifecycleStage.Active, Start, StopAsync);

    private Task Start(CancellationToken cancellationToken)
    {
        _loop = Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_loop is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public void Dispose() => _stop.Dispose();

    private async Task LoopAsync()
    {
        var load = grains.GetGrain<IExecutionLoadGrain>(IExecutionLoadGrain.GlobalKey);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                table.Update(await load.ReportAsync(silo.SiloAddress, metrics.ActiveExecutions).WaitAsync(options.Value.RefreshInterval * 5, _stop.Token));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !_stop.IsCancellationRequested)
            {
                // Placement goes on with the last view (and its own placements since) until a report gets through.
                LogReportFailed(logger, ex);
            }

            await Task.Delay(options.Value.RefreshInterval, time, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Could not report this silo's active executions for placement; retrying")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);
}
