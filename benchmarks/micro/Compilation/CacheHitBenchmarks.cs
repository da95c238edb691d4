using AgentOrleans.Grains.Workflows;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Benchmarks.Compilation;

/// <summary>Finding a compiled workflow in the silo's cache: what every later execution of a version pays.</summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class CacheHitBenchmarks : IDisposable
{
    private CompiledWorkflowCache _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cache = new CompiledWorkflowCache(Options.Create(new CompiledWorkflowCacheOptions()));
        var compiler = new WorkflowCompiler(BenchmarkSteps.CreateRegistry());
        for (var version = 1; version <= 100; version++)
        {
            _cache.Add(compiler.Compile(ChainWorkflow.Create(10), version).Workflow!);
        }

        _cache.Add(compiler.Compile(ChainWorkflow.Create(100), 1).Workflow!);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _cache.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public bool TryGet() => _cache.TryGet("chain-100", 1, out _);
}
