using AgentOrleans.Grains.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace AgentOrleans.Grains.Executions;

/// <summary>
/// A partition's feed of executions with activity. Reentrant, with group commit: notes that arrive while a write is in
/// flight are made durable together by the next one, so a burst of notes costs a few writes, not one each.
/// </summary>
[Reentrant]
internal sealed class ExecutionFeedGrain(
    [PersistentState("feed", StorageNames.Grains)] IPersistentState<ExecutionFeedState> state,
    IOptions<ExecutionOptions> options) : Grain, IExecutionFeedGrain
{
    private readonly Dictionary<string, FeedEntry> _byExecution = new(StringComparer.Ordinal);
    private long _changed;
    private long _durable;
    private Task _writing = Task.CompletedTask;
    private long _durablePosition;

    private ExecutionFeedState Feed => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in Feed.Entries)
        {
            _byExecution[entry.ExecutionId] = entry;
        }

        _durablePosition = Feed.Last;
        return Task.CompletedTask;
    }

    public async Task NoteAsync(string executionId, long seq)
    {
        if (_byExecution.TryGetValue(executionId, out var known))
        {
            if (known.Seq >= seq)
            {
                // Said before (a repeat after a crash, or a status change with no new event): the entry stands where it is.
                await DurableAsync(_changed);
                return;
            }

            Feed.Entries.Remove(known);
        }

        var entry = new FeedEntry(++Feed.Last, executionId, seq);
        Feed.Entries.Add(entry);
        _byExecution[executionId] = entry;
        var excess = Feed.Entries.Count - options.Value.MaxFeedEntries;
        if (excess > 0)
        {
            foreach (var dropped in Feed.Entries.Take(excess))
            {
                _byExecution.Remove(dropped.ExecutionId);
            }

            Feed.TrimmedThrough = Feed.Entries[excess - 1].Position;
            Feed.Entries.RemoveRange(0, excess);
        }

        await DurableAsync(++_changed);
    }

    public Task<FeedPage> ReadAsync(long after, int limit)
    {
        // Only what is durable is shown: a reader must never see an entry a crash could take back.
        var entries = Feed.Entries.Where(e => e.Position > after && e.Position <= _durablePosition).Take(Math.Clamp(limit, 0, 10_000)).ToList();
        return Task.FromResult(new FeedPage(entries, _durablePosition, Feed.TrimmedThrough));
    }

    private async Task DurableAsync(long change)
    {
        while (_durable < change)
        {
            if (_writing.IsCompleted)
            {
                _writing = WriteAsync();
            }

            await _writing;
        }
    }

    private async Task WriteAsync()
    {
        var covers = _changed;
        var position = Feed.Last;
        await state.WriteStateAsync();
        _durable = Math.Max(_durable, covers);
        _durablePosition = Math.Max(_durablePosition, position);
    }
}

[GenerateSerializer, Alias("AgentOrleans.ExecutionFeedState")]
public sealed class ExecutionFeedState
{
    [Id(0)] public List<FeedEntry> Entries { get; set; } = [];
    [Id(1)] public long Last { get; set; }
    [Id(2)] public long TrimmedThrough { get; set; }
}
