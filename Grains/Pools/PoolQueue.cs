namespace AgentOrleans.Grains.Pools;

/// <summary>
/// Waiters of one pool, served by priority (higher first) then arrival. Only the head may be
/// granted: a request for many permits is not overtaken forever by small ones.
/// </summary>
public sealed class PoolQueue<T>
{
    private readonly List<(T Item, int Priority, long Seq)> _waiting = [];
    private long _seq;

    public int Count => _waiting.Count;

    public T? Head => _waiting.Count == 0 ? default : _waiting[0].Item;

    public int Enqueue(T item, int priority)
    {
        var at = _waiting.FindIndex(w => w.Priority < priority);
        at = at < 0 ? _waiting.Count : at;
        _waiting.Insert(at, (item, priority, ++_seq));
        return at + 1;
    }

    /// <summary>1-based position, or 0 when not waiting.</summary>
    public int PositionOf(Func<T, bool> match) => _waiting.FindIndex(w => match(w.Item)) + 1;

    public bool Remove(Func<T, bool> match) => _waiting.RemoveAll(w => match(w.Item)) > 0;

    public T Dequeue()
    {
        var head = _waiting[0].Item;
        _waiting.RemoveAt(0);
        return head;
    }

    public IEnumerable<T> Items => _waiting.Select(w => w.Item);
}
