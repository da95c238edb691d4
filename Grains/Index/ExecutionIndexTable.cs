using AgentOrleans.Grains.Executions;

namespace AgentOrleans.Grains.Index;

/// <summary>
/// The in-memory index's rows: one per execution, kept in listing order (tenant, newest first, id descending) so a
/// page is a walk from its cursor. Not thread-safe: its one owner is <see cref="ExecutionIndexGrain"/>.
/// </summary>
public sealed class ExecutionIndexTable
{
    private readonly Dictionary<(string Tenant, string Id), ExecutionSummary> _rows = [];
    private readonly SortedSet<ExecutionSummary> _ordered = new(ListingOrder.Instance);

    public int Count => _rows.Count;

    public void Upsert(ExecutionSummary summary)
    {
        var key = (summary.Tenant, summary.Id);
        if (_rows.TryGetValue(key, out var stored))
        {
            if (stored.Revision > summary.Revision)
            {
                return;
            }

            _ordered.Remove(stored);
        }

        _rows[key] = summary;
        _ordered.Add(summary);
    }

    public ExecutionSummary? Get(string tenant, string id) => _rows.GetValueOrDefault((tenant, id));

    public void Delete(string tenant, string id)
    {
        if (_rows.Remove((tenant, id), out var stored))
        {
            _ordered.Remove(stored);
        }
    }

    public ExecutionPage Query(ExecutionFilter filter, ExecutionCursor? after, int limit)
    {
        var from = Probe(filter.Tenant, after?.CreatedAt ?? DateTimeOffset.MaxValue, after?.Id ?? "\uffff");
        var to = Probe(filter.Tenant, DateTimeOffset.MinValue, "");
        if (ListingOrder.Instance.Compare(from, to) > 0)
        {
            return new ExecutionPage([], null);
        }

        var items = new List<ExecutionSummary>(Math.Min(limit, 64));
        var more = false;
        foreach (var row in _ordered.GetViewBetween(from, to))
        {
            if (after is not null && row.CreatedAt == after.CreatedAt && row.Id == after.Id)
            {
                continue;
            }

            if (!filter.Matches(row))
            {
                continue;
            }

            if (items.Count == limit)
            {
                more = true;
                break;
            }

            items.Add(row);
        }

        return new ExecutionPage(items, more ? ExecutionCursor.After(items[^1]) : null);
    }

    /// <summary>The filter's rows per status: a walk of the tenant's rows, since the listing order is not by status.</summary>
    public Dictionary<ExecutionStatus, long> CountByStatus(ExecutionFilter filter)
    {
        var counts = new Dictionary<ExecutionStatus, long>();
        var from = Probe(filter.Tenant, DateTimeOffset.MaxValue, "\uffff");
        var to = Probe(filter.Tenant, DateTimeOffset.MinValue, "");
        foreach (var row in _ordered.GetViewBetween(from, to))
        {
            if (filter.Matches(row))
            {
                counts[row.Status] = counts.GetValueOrDefault(row.Status) + 1;
            }
        }

        return counts;
    }

    public List<ExecutionSummary> Expired(DateTimeOffset now, int limit) =>
        [.. _rows.Values.Where(r => r.ExpiresAt <= now).OrderBy(r => r.ExpiresAt).Take(limit)];

    private static ExecutionSummary Probe(string tenant, DateTimeOffset createdAt, string id) =>
        new(tenant, id, "", 0, default, createdAt, 0);

    /// <summary>Tenant, then newest first, then id descending: the order of every listing.</summary>
    private sealed class ListingOrder : IComparer<ExecutionSummary>
    {
        public static readonly ListingOrder Instance = new();

        public int Compare(ExecutionSummary? x, ExecutionSummary? y)
        {
            var byTenant = string.CompareOrdinal(x!.Tenant, y!.Tenant);
            if (byTenant != 0)
            {
                return byTenant;
            }

            var byCreated = y.CreatedAt.UtcTicks.CompareTo(x.CreatedAt.UtcTicks);
            return byCreated != 0 ? byCreated : string.CompareOrdinal(y.Id, x.Id);
        }
    }
}
