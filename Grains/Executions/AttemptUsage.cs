using AgentOrleans.Grains.Steps;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The engine's <see cref="IUsageLedger"/> for one attempt, made the way <see cref="AttemptJournal"/> is: the step records
/// from its own thread, the attempt runner adds the records to the execution's state in its next checkpoint and only then
/// lets the step go on. A child's usage is added once: the children counted are kept with the state.
/// </summary>
internal sealed class AttemptUsage(ExecutionUsage used, ExecutionBudget? budget, IReadOnlyCollection<string> countedChildren, string workflowId) : IUsageLedger
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _children = new(countedChildren, StringComparer.Ordinal);
    private ExecutionUsage _used = used;
    private List<UsageRecord>? _pending;
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string WorkflowId => workflowId;

    public ExecutionBudget? Budget => budget;

    public ExecutionUsage Used
    {
        get
        {
            lock (_lock)
            {
                return _used;
            }
        }
    }

    /// <summary>Completes when a record arrives that the runner has not taken yet.</summary>
    public Task Signal
    {
        get
        {
            lock (_lock)
            {
                return _signal.Task;
            }
        }
    }

    public Task RecordAsync(string model, ModelUsage usage, CancellationToken cancellationToken) =>
        Add(new UsageRecord(null, ExecutionUsage.None.Add(model, usage)), cancellationToken);

    public Task RecordChildAsync(string childId, ExecutionUsage usage, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_children.Add(childId))
            {
                return Task.CompletedTask;
            }
        }

        return Add(new UsageRecord(childId, usage), cancellationToken);
    }

    /// <summary>The records not yet taken, each with what to complete once it is durable.</summary>
    public List<UsageRecord> Take()
    {
        lock (_lock)
        {
            if (_signal.Task.IsCompleted)
            {
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            var taken = _pending ?? [];
            _pending = null;
            return taken;
        }
    }

    private Task Add(UsageRecord record, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _used = _used.Add(record.Usage);
            (_pending ??= []).Add(record);
            _signal.TrySetResult();
        }

        return record.Durable.Task.WaitAsync(cancellationToken);
    }
}

/// <summary>Usage to add to the execution's: a model call's, or the child <see cref="ChildId"/>'s.</summary>
internal sealed record UsageRecord(string? ChildId, ExecutionUsage Usage)
{
    public TaskCompletionSource Durable { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
