using System.Text.Json.Nodes;
using AgentOrleans.Grains.Workflows;
using BenchmarkDotNet.Attributes;

namespace AgentOrleans.Benchmarks.Compilation;

/// <summary>Compiling a definition that is not cached: what the first execution of a new version pays.</summary>
// Min and median beside the mean: the shared 2-core machine makes the mean noisy.
[MemoryDiagnoser, MinColumn, MedianColumn]
public class ColdCompileBenchmarks
{
    private WorkflowCompiler _compiler = null!;
    private JsonObject _document = null!;
    private string _text = null!;

    [Params(10, 100)]
    public int Nodes { get; set; }

    [Params(true, false)]
    public bool InputSchema { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _compiler = new WorkflowCompiler(BenchmarkSteps.CreateRegistry());
        _document = ChainWorkflow.Create(Nodes, InputSchema);
        _text = _document.ToJsonString();
        if (Compile() is null)
        {
            throw new InvalidOperationException("the generated workflow does not compile");
        }
    }

    /// <summary>From the parsed document, as a silo compiles a stored version.</summary>
    [Benchmark]
    public CompiledWorkflow? Compile() => _compiler.Compile(_document, 1).Workflow;

    /// <summary>From the JSON text, as a publish does.</summary>
    [Benchmark]
    public CompiledWorkflow? ParseAndCompile()
    {
        var problems = new ProblemList();
        return _compiler.Compile(DefinitionDocument.ParseJson(_text, problems), 1).Workflow;
    }
}
