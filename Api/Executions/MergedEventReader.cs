using System.Buffers;
using System.Text.Json;
using AgentOrleans.Client;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Tenants;

namespace AgentOrleans.Api.Executions;

/// <summary>
/// Reads an execution's events together with its children's, at any depth (<c>?include=children</c>). Each
/// execution is one stream with its own <see cref="EventSequencer"/>; a child's stream is opened when its parent's
/// <c>child.started</c> is delivered and closed once its terminal event is, so <see cref="Position"/> — every open
/// stream's last delivered seq — says exactly where each of them resumes. Streams are read from their logs, and in
/// SSE also from live events (<see cref="MergedStream.Offer"/>); events of different streams go out in the order they happened
/// (<c>at</c>), each stream's in seq order. Pure apart from the log reads it is given; one task uses it at a time.
/// </summary>
internal sealed partial class MergedEventReader
{
    /// <summary>Events asked for per log read and stream: a catch-up holds at most this many per open stream.</summary>
    public const int PageSize = 100;

    private readonly string _executionId;
    private readonly Func<string, long, int, CancellationToken, Task<EventPage>> _readLog;
    private readonly Func<MergedStream, Task>? _watch;
    private readonly int _pageSize;
    private readonly ILogger _logger;
    private readonly MergedStream _root;
    private readonly List<MergedStream> _open = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    /// <param name="executionId">The execution read; its children's ids extend it.</param>
    /// <param name="from">Where the reader resumes.</param>
    /// <param name="readLog">A page of an execution's log after a seq: (executionId, after, limit).</param>
    /// <param name="watch">Called once for each stream before its log is first read (SSE subscribes to its live events there).</param>
    /// <param name="pageSize">Events asked for per log read.</param>
    /// <param name="logger">Where children left out are reported.</param>
    public MergedEventReader(
        string executionId,
        MergedPosition from,
        Func<string, long, int, CancellationToken, Task<EventPage>> readLog,
        Func<MergedStream, Task>? watch,
        int pageSize,
        ILogger logger)
    {
        _executionId = executionId;
        _readLog = readLog;
        _watch = watch;
        _pageSize = pageSize;
        _logger = logger;
        _root = Open(executionId, path: null, from.Seq);
        foreach (var child in from.Children)
        {
            Open(child.ExecutionId, child.Path, child.Seq);
        }
    }

    /// <summary>The execution's stream and every child's have delivered their terminal events.</summary>
    public bool Ended => _open.Count == 0;

    /// <summary>A stream has nothing left to give until its log is read: call <see cref="FillAsync"/> before the next event.</summary>
    public bool NeedsFill => _open.Exists(s => s.MustRead);

    /// <summary>Streams whose log skipped trimmed events, by how far (the JSON page reports them).</summary>
    public List<(MergedStream Stream, long Through)> Trimmed { get; } = [];

    /// <summary>Where the reader is after what it has delivered.</summary>
    public string Position => MergedPosition.Format(_executionId, _root.Delivered, Children(), _buffer);

    /// <summary>Streams closed since the last call: their terminal event was delivered (or the child is gone).</summary>
    public List<MergedStream> TakeClosed()
    {
        var closed = _closed;
        _closed = [];
        return closed;
    }

    private List<MergedStream> _closed = [];

    /// <summary>
    /// Reads the log of every stream that needs it (watching new ones first), all at once. False when the execution
    /// itself does not exist; a child that does not exist is closed.
    /// </summary>
    public async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        var reading = _open.Where(s => s.MustRead).ToList();
        if (_watch is not null)
        {
            await Task.WhenAll(reading.Where(s => !s.Watched).Select(async s =>
            {
                await _watch(s);
                s.Watched = true;
            }));
        }

        var pages = await Task.WhenAll(reading.Select(s => _readLog(s.ExecutionId, s.Sequence.Last, _pageSize, cancellationToken)));
        for (var i = 0; i < reading.Count; i++)
        {
            var stream = reading[i];
            var page = pages[i];
            if (!page.Exists)
            {
                if (stream == _root)
                {
                    return false;
                }

                // A position can name a child that never existed; an announced one always does.
                Log.ChildGone(_logger, _executionId, stream.ExecutionId);
                stream.Gone = true;
                CloseIfDone(stream);
                continue;
            }

            if (page.TrimmedThrough is { } trimmed && trimmed > stream.Sequence.Last)
            {
                Trimmed.Add((stream, trimmed));
            }

            foreach (var e in stream.Sequence.TakePage(page))
            {
                stream.Pending.Enqueue(e);
            }

            // A short page reaches the end of the log as it is: live events, or the next read, bring the rest.
            stream.NeedsRead = page.Events.Count >= _pageSize;
            stream.PublishLiveThrough();
            CloseIfDone(stream);
        }

        return true;
    }

    /// <summary>Live events were lost on the way (a full inbox): every open stream reads its log again.</summary>
    public void ReadAllLogs()
    {
        foreach (var stream in _open)
        {
            stream.NeedsRead = true;
            stream.PublishLiveThrough();
        }
    }

    /// <summary>
    /// Delivers the next event: the earliest of the streams' next ones. Null when none is ready, or a stream must read
    /// its log first (<see cref="NeedsFill"/>). Nothing is delivered when the position after the event would be longer
    /// than <paramref name="maxPositionLength"/>: then <paramref name="tooLong"/> is true.
    /// </summary>
    public MergedEvent? TakeNext(int maxPositionLength, out bool tooLong)
    {
        tooLong = false;
        MergedStream? next = null;
        foreach (var stream in _open)
        {
            if (stream.MustRead)
            {
                return null;
            }

            if (stream.Pending.Count > 0 && (next is null || stream.Pending.Peek().At < next.Pending.Peek().At))
            {
                next = stream;
            }
        }

        if (next is null)
        {
            return null;
        }

        var e = next.Pending.Peek();
        var child = e.Type == EventTypes.ChildStarted ? Announced(next, e) : null;
        var position = MergedPosition.Format(_executionId, next == _root ? e.Seq : _root.Delivered, Children(next, e, child), _buffer);
        if (position.Length > maxPositionLength)
        {
            tooLong = true;
            return null;
        }

        next.Pending.Dequeue();
        next.Delivered = e.Seq;
        if (child is not null)
        {
            Open(child.ExecutionId, child.Path, 0);
        }

        CloseIfDone(next);
        return new MergedEvent(e, next.Path, position);
    }

    /// <summary>The child a <c>child.started</c> announces, when the reader does not follow it yet.</summary>
    private MergedPosition.Child? Announced(MergedStream parent, ExecutionEvent e)
    {
        string? id = null;
        string? path = null;
        try
        {
            using var data = JsonDocument.Parse(e.DataJson ?? "{}");
            if (data.RootElement.ValueKind == JsonValueKind.Object
                && data.RootElement.TryGetProperty("executionId", out var idValue) && idValue.ValueKind == JsonValueKind.String
                && data.RootElement.TryGetProperty("path", out var pathValue) && pathValue.ValueKind == JsonValueKind.String)
            {
                id = idValue.GetString();
                path = pathValue.GetString();
            }
        }
        catch (JsonException)
        {
        }

        // The event names the child as callers know it; its key is in the parent's tenant (children inherit it).
        if (id is null || string.IsNullOrEmpty(path) || !TenantKey.TryScope(TenantKey.TenantOf(_executionId), id, out id) || _known.Contains(id))
        {
            return null;
        }

        if (!id.StartsWith(_executionId + ":", StringComparison.Ordinal) || id.Length == _executionId.Length + 1)
        {
            // A position names children by their id after the parent's; the engine's steps always derive it so.
            Log.ChildNotDerived(_logger, _executionId, id);
            return null;
        }

        return new MergedPosition.Child(id, parent.Path is null ? path : $"{parent.Path}/{path}", 0);
    }

    private IEnumerable<MergedPosition.Child> Children() => _open.Where(s => s != _root).Select(s => new MergedPosition.Child(s.ExecutionId, s.Path!, s.Delivered));

    /// <summary>The open children as they are once <paramref name="e"/> of <paramref name="taking"/> is delivered.</summary>
    private IEnumerable<MergedPosition.Child> Children(MergedStream taking, ExecutionEvent e, MergedPosition.Child? opening)
    {
        var endsStream = taking.Sequence.Ended && taking.Pending.Count == 1;
        foreach (var stream in _open)
        {
            if (stream == _root || (stream == taking && endsStream))
            {
                continue;
            }

            yield return new MergedPosition.Child(stream.ExecutionId, stream.Path!, stream == taking ? e.Seq : stream.Delivered);
        }

        if (opening is not null)
        {
            yield return opening;
        }
    }

    private MergedStream Open(string executionId, string? path, long after)
    {
        var stream = new MergedStream(executionId, path, after);
        _known.Add(executionId);
        _open.Add(stream);
        return stream;
    }

    private void CloseIfDone(MergedStream stream)
    {
        if (!stream.Closed && (stream.Gone || (stream.Sequence.Ended && stream.Pending.Count == 0)))
        {
            stream.Closed = true;
            stream.PublishLiveThrough();
            _open.Remove(stream);
            _closed.Add(stream);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Merged events of {ExecutionId}: child {ChildId} does not exist; it is left out")]
        public static partial void ChildGone(ILogger logger, string executionId, string childId);

        [LoggerMessage(2, LogLevel.Warning, "Merged events of {ExecutionId}: child {ChildId} does not extend its parent's id, so a position cannot name it; its events are left out")]
        public static partial void ChildNotDerived(ILogger logger, string executionId, string childId);
    }
}
