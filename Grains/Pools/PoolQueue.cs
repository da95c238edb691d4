using AgentOrleans.Grains.Tenants;

namespace AgentOrleans.Grains.Pools;

/// <summary>
/// Waiters of one pool: a line per tenant, kept by priority (higher first) then arrival, and the lines served by
/// weighted fair queueing — each line has a pass that grows by a grant's permits over the tenant's weight, and the line
/// with the lowest pass is served next, so a tenant with a thousand waiters cannot starve one with a single waiter.
/// A line that starts waiting joins at the pass of the last grant: an idle tenant banks no credit. Only the head
/// may be granted: a request for many permits is not overtaken forever by small ones.
/// </summary>
public sealed class PoolQueue<T>
{
    private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);
    private double _lastPass;
    private long _linesJoined;

    public int Count { get; private set; }

    public T? Head => HeadLine() is { } line ? line.Waiting[0].Item : default;

    public IEnumerable<T> Items => _lines.Values.SelectMany(l => l.Waiting.Select(w => w.Item));

    public void Enqueue(T item, int priority, string tenant = TenantKey.DefaultTenant, int permits = 1, int weight = 1)
    {
        if (!_lines.TryGetValue(tenant, out var line))
        {
            _lines[tenant] = line = new Line(tenant, ++_linesJoined) { Pass = _lastPass };
        }

        line.Weight = Math.Max(1, weight);
        var at = line.Waiting.FindIndex(w => w.Priority < priority);
        line.Waiting.Insert(at < 0 ? line.Waiting.Count : at, new Waiting(item, priority, Math.Max(1, permits)));
        Count++;
    }

    /// <summary>
    /// 1-based place in the order the lines would be served in if nobody else came or left, or 0 when not waiting:
    /// the waiters before it in its own line, and of every other line those whose turn comes earlier.
    /// </summary>
    public int PositionOf(Func<T, bool> match)
    {
        foreach (var line in _lines.Values)
        {
            var index = line.Waiting.FindIndex(w => match(w.Item));
            if (index < 0)
            {
                continue;
            }

            var turn = line.Pass + line.Waiting.Take(index).Sum(w => (double)w.Permits) / line.Weight;
            return 1 + index + _lines.Values.Where(other => other != line).Sum(other => other.ServedBefore(turn, line.Joined));
        }

        return 0;
    }

    public bool Remove(Func<T, bool> match)
    {
        var removed = 0;
        foreach (var (tenant, line) in _lines.ToList())
        {
            removed += line.Waiting.RemoveAll(w => match(w.Item));
            if (line.Waiting.Count == 0)
            {
                _lines.Remove(tenant);
            }
        }

        Count -= removed;
        return removed > 0;
    }

    public T Dequeue()
    {
        var line = HeadLine() ?? throw new InvalidOperationException("No one is waiting.");
        var head = line.Waiting[0];
        line.Waiting.RemoveAt(0);
        Count--;
        _lastPass = line.Pass;
        line.Pass += (double)head.Permits / line.Weight;
        if (line.Waiting.Count == 0)
        {
            _lines.Remove(line.Tenant);
        }

        return head.Item;
    }

    private Line? HeadLine()
    {
        Line? best = null;
        foreach (var line in _lines.Values)
        {
            if (best is null || line.Pass < best.Pass || (line.Pass == best.Pass && line.Joined < best.Joined))
            {
                best = line;
            }
        }

        return best;
    }

    private sealed record Waiting(T Item, int Priority, int Permits);

    // At equal passes the line that started waiting first goes first.
    private sealed class Line(string tenant, long joined)
    {
        public string Tenant { get; } = tenant;

        public long Joined { get; } = joined;

        public List<Waiting> Waiting { get; } = [];

        public double Pass { get; set; }

        public int Weight { get; set; } = 1;

        /// <summary>How many of this line's waiters are served before a waiter whose line reaches <paramref name="turn"/>.</summary>
        public int ServedBefore(double turn, long joined)
        {
            var pass = Pass;
            var served = 0;
            foreach (var waiting in Waiting)
            {
                if (pass > turn || (pass == turn && Joined > joined))
                {
                    break;
                }

                served++;
                pass += (double)waiting.Permits / Weight;
            }

            return served;
        }
    }
}
