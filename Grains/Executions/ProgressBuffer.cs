using System.Text.Json.Nodes;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// Collects progress chunks a step emits from its own thread until the grain flushes them as
/// one event: thousands of chunks a second cost a handful of events and storage writes.
/// </summary>
internal sealed class ProgressBuffer
{
    private readonly Lock _lock = new();
    private List<JsonNode> _chunks = [];
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first chunk after the last <see cref="Take"/> arrives.</summary>
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

    public void Add(JsonNode chunk)
    {
        lock (_lock)
        {
            _chunks.Add(chunk);
            _signal.TrySetResult();
        }
    }

    /// <summary>The step context's <c>EmitProgress</c>: a method, so each attempt binds it without a closure.</summary>
    public ValueTask AddAsync(JsonNode chunk)
    {
        Add(chunk);
        return ValueTask.CompletedTask;
    }

    public List<JsonNode> Take()
    {
        lock (_lock)
        {
            var taken = _chunks;
            _chunks = [];
            if (_signal.Task.IsCompleted)
            {
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return taken;
        }
    }
}
