using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Steps;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// The engine's <see cref="IStepJournal"/> for one attempt. The step records from its own thread; the attempt
/// runner, on the grain's, moves the records into the execution's state, checkpoints, and only then lets the
/// step go on, so a record the step saw acknowledged survives the silo.
/// </summary>
internal sealed class AttemptJournal(IReadOnlyDictionary<string, string> recorded) : IStepJournal
{
    private readonly ConcurrentDictionary<string, string> _entries = new(recorded);
    private readonly ConcurrentQueue<(string Key, string Json, TaskCompletionSource Durable)> _pending = new();
    private readonly Lock _lock = new();
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
        value = _entries.TryGetValue(key, out var json) ? JsonNode.Parse(json) : null;
        return value is not null || _entries.ContainsKey(key);
    }

    public Task RecordAsync(string key, JsonNode? value, CancellationToken cancellationToken)
    {
        var json = value?.ToJsonString() ?? "null";
        _entries[key] = json;
        var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue((key, json, durable));
        lock (_lock)
        {
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
        }

        var taken = new List<(string, string, TaskCompletionSource)>();
        while (_pending.TryDequeue(out var record))
        {
            taken.Add(record);
        }

        return taken;
    }
}
