using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Workflows;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Delayed start: a start whose time is ahead is recorded <c>scheduled</c> with the recovery reminder due at that time,
/// and parks as a waiting run does (a timer in memory while it is near, the reminder once it left memory). When it
/// wakes the run loop releases it to queued and it begins as any start; a cancel before then ends it at once. Admission
/// is not asked at the start: the run joins the count when it begins.
/// </summary>
internal sealed partial class ExecutionGrain
{
    private bool IsLaterStart(StartExecution command) => command.StartAt is { } at && at > time.GetUtcNow();

    private async Task<StartResult> ScheduleStartAsync(CompiledWorkflow workflow, JsonNode? input, StartExecution command, string requestHash)
    {
        var at = command.StartAt!.Value;
        _workflow = workflow;
        _transitions.Queue(workflow, input, command, requestHash, Activity.Current?.Id);
        _transitions.Schedule(at);

        // Written side by side, as a start is: the reminder is due at the start time, so it begins after any restart.
        var reminder = this.RegisterOrUpdateReminder(RecoveryReminder, Max(at - time.GetUtcNow(), TimeSpan.Zero), _options.RecoveryReminderPeriod);
        try
        {
            await CommitAsync(untilDurable: false);
        }
        catch
        {
            this.DeactivateOnIdle();
            throw;
        }

        _recoveryReminder = await reminder;
        ScheduledLog.Scheduled(logger, ExecutionId, workflow.WorkflowId, at);
        ScheduleParking();
        return new StartResult(StartOutcome.Started, Snapshot(), []);
    }

    /// <summary>In the run loop: false while a scheduled start is not due (the loop ends and the run parks until then).</summary>
    private bool BeginsNow()
    {
        if (Execution.Status != ExecutionStatus.Scheduled)
        {
            return true;
        }

        if (!Execution.CancelRequested && Execution.ScheduledFor > time.GetUtcNow())
        {
            return false;
        }

        _transitions.Release(_workflow!.Timeout);
        return true;
    }

    private static partial class ScheduledLog
    {
        [LoggerMessage(100, LogLevel.Information, "Execution {ExecutionId} of workflow {WorkflowId} scheduled to begin at {StartAt}")]
        public static partial void Scheduled(ILogger logger, string executionId, string workflowId, DateTimeOffset startAt);
    }
}
