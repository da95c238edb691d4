using AgentOrleans.Grains.Index;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Retention;

/// <summary>
/// Runs <see cref="RetentionSweep"/> once per cluster: the reminder makes it a single activation wherever it is placed,
/// and the grain being non-reentrant makes sweeps never overlap.
/// </summary>
internal sealed class RetentionSweeperGrain(
    IExecutionIndex index, IExecutionTombstones tombstones, TimeProvider time, IOptions<RetentionOptions> options, ILogger<RetentionSweeperGrain> logger)
    : Grain, IRetentionSweeperGrain, IRemindable
{
    private const string Reminder = "sweep";

    public async Task StartAsync()
    {
        var period = options.Value.SweepPeriod;
        if (period == TimeSpan.Zero)
        {
            if (await this.GetReminder(Reminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            return;
        }

        await this.RegisterOrUpdateReminder(Reminder, period, period);
    }

    public Task<SweepResult> SweepAsync() => new RetentionSweep(index, tombstones, GrainFactory, time, options.Value, logger).RunAsync();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await SweepAsync();
        this.DeactivateOnIdle();
    }
}
