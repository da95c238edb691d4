using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// Compiled workflows of this silo, keyed by (workflow key, version): the workflow's grain key, its id scoped by its
/// tenant (<see cref="Tenants.TenantKey"/>), so two tenants' workflows of the same id are two entries. Versions are immutable, so
/// an entry never goes stale and no cluster-wide invalidation exists; the bound evicts the
/// least recently used.
/// </summary>
public sealed class CompiledWorkflowCache : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly int _maxEntries;
    private readonly double _oneEntry;
    private long _hits;
    private long _misses;

    public CompiledWorkflowCache(IOptions<CompiledWorkflowCacheOptions> options)
    {
        _maxEntries = options.Value.MaxEntries;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = _maxEntries });
        // Compact truncates count × fraction; 1.5 / MaxEntries of a full cache is exactly one entry.
        _oneEntry = Math.Min(1.0, 1.5 / _maxEntries);
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public int Count => _cache.Count;

    public bool TryGet(string workflowKey, int version, out CompiledWorkflow workflow)
    {
        if (_cache.TryGetValue((workflowKey, version), out workflow!))
        {
            Interlocked.Increment(ref _hits);
            return true;
        }

        Interlocked.Increment(ref _misses);
        return false;
    }

    /// <summary>Adds a workflow of the default tenant (its key is its id).</summary>
    public void Add(CompiledWorkflow workflow) => Add(workflow.WorkflowId, workflow);

    public void Add(string workflowKey, CompiledWorkflow workflow)
    {
        // A full MemoryCache refuses a new entry (and compacts later, in the background); evicting the
        // least recently used first keeps the newest, which is the one about to be used.
        if (_cache.Count >= _maxEntries)
        {
            _cache.Compact(_oneEntry);
        }

        _cache.Set((workflowKey, workflow.Version), workflow, new MemoryCacheEntryOptions { Size = 1 });
    }

    /// <summary>Forgets every compiled workflow: the next load of each fetches its definition again (as on a new silo).</summary>
    internal void Clear() => _cache.Compact(1.0);

    public void Dispose() => _cache.Dispose();
}
