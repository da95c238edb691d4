using System.Text.Json.Nodes;
using AgentOrleans.Grains.Steps;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The engine's <see cref="IStepJournal"/> for one attempt. The step records from its own thread; the attempt
/// runner, on the grain's, moves the records into the execution's state, checkpoints, and only then lets the
/// step go on, so a record the step saw acknowledged survives the silo. Every attempt makes one, and most record
/// nothing: its copy of the entries and its queue are made at the first record.
/// </summary>
/// <remarks>
/// It also carries the attempt's <c>child.started</c> announcements: each is a journal entry under
/// <c>child.started/{childId}</c> (a key of the engine's, never a step's, whose keys it does not prefix) checkpointed
/// with its event, so a re-run of the attempt that starts the same child finds it announced and does not repeat it.
/// </remarks>
internal sealed class AttemptJournal(IReadOnlyDictionary<string, string> recorded) : IStepJournal
{
    private readonly Lock _lock = new();
    private Dictionary<string, string>? _entries;
    private List<(string Key, string Json, TaskCompletionSource Durable)>? _pending;
    private List<(string Key, ChildStart Child, TaskCompletionSource Durable)>? _children;
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

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

    public bool TryGet(string key, out JsonNode? value)
    {
        string? json;
        bool found;
        lock (_lock)
        {
            // Until the step records, the grain does not touch the state's entries: reading them is safe.
            found = (_entries ?? recorded).TryGetValue(key, out json);
        }

        value = found && json is not null ? JsonNode.Parse(json) : null;
        return found;
    }

    public Task RecordAsync(string key, JsonNode? value, CancellationToken cancellationToken)
    {
        var json = value?.ToJsonString() ?? "null";
        var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _entries ??= new Dictionary<string, string>(recorded, StringComparer.Ordinal);
            _entries[key] = json;
            (_pending ??= []).Add((key, json, durable));
            _signal.TrySetResult();
        }

        return durable.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The records not yet taken, each with what to complete once it is durable.</summary>
    public List<(string Key, string Json, TaskCompletionSource Durable)> Take()
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

    /// <summary>The step context's <c>AnnounceChild</c>: done at once when this attempt announced the child before.</summary>
    public Task AnnounceChildAsync(ChildStart child, CancellationToken cancellationToken)
    {
        var key = ChildKey(child.ExecutionId);
        var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if ((_entries ?? recorded).ContainsKey(key))
            {
                return Task.CompletedTask;
            }

            // From here on the step reads its copy, so the runner may add the entry to the state's.
            _entries ??= new Dictionary<string, string>(recorded, StringComparer.Ordinal);
            _entries[key] = "true";
            (_children ??= []).Add((key, child, durable));
            _signal.TrySetResult();
        }

        return durable.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The announcements not yet taken, each with its journal key and what to complete once it is durable.</summary>
    public List<(string Key, ChildStart Child, TaskCompletionSource Durable)> TakeChildren()
    {
        lock (_lock)
        {
            var taken = _children ?? [];
            _children = null;
            return taken;
        }
    }

    private static string ChildKey(string childId) => $"child.started/{childId}";
}
