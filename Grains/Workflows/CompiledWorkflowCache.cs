using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Workflows;

/// <summary>
/// Compiled workflows of this silo, keyed by (workflow id, version). Versions are immutable, so
/// an entry never goes stale and no cluster-wide invalidation exists; the bound evicts the
/// least recently used.
/// </summary>
public sealed class CompiledWorkflowCache : IDisposable
{
    private readonly MemoryCache _cache;
    private long _hits;
    private long _misses;

    public CompiledWorkflowCache(IOptions<CompiledWorkflowCacheOptions> options)
    {
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.MaxEntries });
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public int Count => _cache.Count;

    public bool TryGet(string workflowId, int version, out CompiledWorkflow workflow)
    {
        if (_cache.TryGetValue((workflowId, version), out workflow!))
        {
            Interlocked.Increment(ref _hits);
            return true;
        }

        Interlocked.Increment(ref _misses);
        return false;
    }

    public void Add(CompiledWorkflow workflow) =>
        _cache.Set((workflow.WorkflowId, workflow.Version), workflow, new MemoryCacheEntryOptions { Size = 1 });

    public void Dispose() => _cache.Dispose();
}
