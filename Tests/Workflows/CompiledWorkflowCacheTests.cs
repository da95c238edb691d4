using AgentOrleans.Grains.Workflows;
using AgentOrleans.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Tests.Workflows;

public class CompiledWorkflowCacheTests
{
    private const string Hello = """{"id":"hello","start":"a","nodes":{"a":{"type":"delay","with":{"duration":"1s"}}}}""";

    private static CompiledWorkflowCache Cache(int maxEntries = 100) =>
        new(Options.Create(new CompiledWorkflowCacheOptions { MaxEntries = maxEntries }));

    [Fact]
    public void AnAddedWorkflowIsAHit()
    {
        using var cache = Cache();
        var workflow = Definitions.Valid(Hello, version: 3);
        cache.Add(workflow);

        Assert.True(cache.TryGet("hello", 3, out var found));
        Assert.Same(workflow, found);
        Assert.Equal((1, 0), (cache.Hits, cache.Misses));
    }

    [Fact]
    public void AnAbsentWorkflowIsACountedMiss()
    {
        using var cache = Cache();

        Assert.False(cache.TryGet("hello", 1, out _));
        Assert.Equal((0, 1), (cache.Hits, cache.Misses));
    }

    [Fact]
    public void AnotherVersionIsAnotherKey()
    {
        using var cache = Cache();
        cache.Add(Definitions.Valid(Hello, version: 1));

        Assert.False(cache.TryGet("hello", 2, out _));
        Assert.True(cache.TryGet("hello", 1, out var found));
        Assert.Equal(1, found.Version);
    }

    [Fact]
    public void TheNewestWorkflowIsKeptWhenTheCacheIsFull()
    {
        using var cache = Cache(maxEntries: 5);

        foreach (var version in Enumerable.Range(1, 8))
        {
            cache.Add(Definitions.Valid(Hello, version));
            Assert.True(cache.TryGet("hello", version, out _), $"version {version} was not kept right after it was added ({cache.Count} entries)");
        }
    }

    [Fact]
    public async Task TheCacheStaysWithinItsBound()
    {
        const int maxEntries = 5;
        using var cache = Cache(maxEntries);
        var workflows = Enumerable.Range(1, 50).Select(v => Definitions.Valid(Hello, version: v)).ToList();

        foreach (var workflow in workflows)
        {
            cache.Add(workflow);
            Assert.True(cache.Count <= maxEntries, $"expected at most {maxEntries} entries right after adding version {workflow.Version}, saw {cache.Count}");
        }

        // Compaction past the bound runs in the background: wait until it has settled.
        await Polling.UntilAsync(() => cache.Count <= maxEntries, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10));

        Assert.True(cache.Count is > 0 and <= maxEntries, $"expected 1 to {maxEntries} entries after compaction, saw {cache.Count}");
    }
}
