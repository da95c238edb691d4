namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The activity feed: at each durable status change (started, waiting, paused, ended…) the execution notes its log's
/// durable seq in its partition's <see cref="IExecutionFeedGrain"/>, so a follower of every execution that was away, or
/// lost a publish, finds it there and reads its log (docs/events.md#following-every-execution). A few notes per run,
/// not one per checkpoint; only the end's is awaited, and one that fails is made again by the <c>webhooks</c> reminder.
/// </summary>
internal sealed partial class ExecutionGrain
{
    private ExecutionStatus? _notedStatus;

    private async Task NoteActivityAsync()
    {
        if (!Execution.Exists || _notedStatus == _durableStatus)
        {
            return;
        }

        var status = _durableStatus;
        _notedStatus = status;
        var note = GrainFactory.GetGrain<IExecutionFeedGrain>(StreamNames.PartitionOf(ExecutionId)).NoteAsync(ExecutionId, _durableSeq);
        if (!status.IsTerminal())
        {
            // A lost note of a running execution is made up by its next status change; the run does not wait for it.
            note.Ignore();
            return;
        }

        try
        {
            await note;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _notedStatus = null;
            WebhookLog.HandOffFailed(logger, ExecutionId, "(activity feed)", ex.GetBaseException().Message);
            await EnsureOutboxReminderAsync();
        }
    }
}
