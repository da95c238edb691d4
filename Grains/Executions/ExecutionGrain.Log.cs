using Microsoft.Extensions.Logging;

namespace AgentOrleans.Grains.Executions;

internal sealed partial class ExecutionGrain
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Execution {ExecutionId} queued for workflow {WorkflowId} version {Version}")]
        public static partial void Queued(ILogger logger, string executionId, string workflowId, int version);

        [LoggerMessage(2, LogLevel.Information, "Execution {ExecutionId} resuming at node {NodeId} attempt {Attempt}")]
        public static partial void Resuming(ILogger logger, string executionId, string? nodeId, int attempt);

        [LoggerMessage(3, LogLevel.Information, "Execution {ExecutionId} ended {Status}")]
        public static partial void Finished(ILogger logger, string executionId, string status);

        [LoggerMessage(4, LogLevel.Information, "Execution {ExecutionId} cancellation requested: {Reason}")]
        public static partial void CancelRequested(ILogger logger, string executionId, string? reason);

        // Event id 5 (a step abandoned) is logged by AttemptRunner.

        [LoggerMessage(6, LogLevel.Warning, "Execution {ExecutionId} could not publish events {FirstSeq}-{LastSeq} to streams ({Reason}); readers recover them from the log")]
        public static partial void PublishFailed(ILogger logger, string executionId, long firstSeq, long lastSeq, string reason);

        [LoggerMessage(7, LogLevel.Error, "Execution {ExecutionId} run loop failed")]
        public static partial void RunLoopFailed(ILogger logger, string executionId, Exception exception);

        [LoggerMessage(8, LogLevel.Warning, "Execution {ExecutionId} could not release its admission slot; reconciliation frees it")]
        public static partial void ReleaseFailed(ILogger logger, string executionId, Exception exception);

        [LoggerMessage(12, LogLevel.Warning, "Execution {ExecutionId} could not join the admission count; the next resume tries again")]
        public static partial void JoinFailed(ILogger logger, string executionId, Exception exception);

        [LoggerMessage(11, LogLevel.Warning, "Execution {ExecutionId} checkpoint failed ({Failures} in a row); retrying in {Delay}")]
        public static partial void CheckpointRetrying(ILogger logger, string executionId, int failures, TimeSpan delay, Exception exception);

        [LoggerMessage(9, LogLevel.Warning, "Execution {ExecutionId} lost its storage etag; deactivating to resume from the stored checkpoint")]
        public static partial void CheckpointConflict(ILogger logger, string executionId, Exception exception);

        [LoggerMessage(10, LogLevel.Warning, "Execution {ExecutionId} ended but its recovery reminder could not be removed now; the next tick removes it")]
        public static partial void ReminderCleanupFailed(ILogger logger, string executionId, Exception exception);

        [LoggerMessage(13, LogLevel.Warning, "Execution {ExecutionId} paused: the cluster could not answer ({Reason}); it resumes from its last checkpoint on its next activation")]
        public static partial void RunLoopInterrupted(ILogger logger, string executionId, string reason);

        [LoggerMessage(14, LogLevel.Debug, "Execution {ExecutionId} is {Status} and leaves memory; it wakes by itself at {WakeAt}")]
        public static partial void Parked(ILogger logger, string executionId, string status, DateTimeOffset? wakeAt);
    }
}
