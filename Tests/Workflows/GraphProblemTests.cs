using static AgentOrleans.Tests.Workflows.Definitions;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Workflows;

/// <summary>What the schema cannot check: references between nodes, reachability and bounded cycles.</summary>
public class GraphProblemTests
{
    [Fact]
    public void AnUnknownStepTypeIsReportedAtTheNodesType()
    {
        var result = CompileJson("""{"id":"w","start":"a","nodes":{"a":{"type":"teleport"}}}""");

        AssertReports(result, "/nodes/a/type", "unknown step type 'teleport'");
    }

    [Fact]
    public void AMissingStartIsReported()
    {
        var result = CompileJson("""{"id":"w","nodes":{"a":{"type":"delay","with":{"duration":"1s"}}}}""");

        AssertReports(result, "/start", "is required");
    }

    [Fact]
    public void AStartThatIsNotANodeIsReported()
    {
        var result = CompileJson("""{"id":"w","start":"nowhere","nodes":{"a":{"type":"delay","with":{"duration":"1s"}}}}""");

        AssertReports(result, "/start", "'nowhere' is not a node");
    }

    [Fact]
    public void AnEdgeFromAnUnknownNodeIsReportedAtItsFrom()
    {
        var result = CompileJson("""
            {"id":"w","start":"a",
             "nodes":{"a":{"type":"delay","with":{"duration":"1s"}}},
             "edges":[{"from":"a","to":"end"},{"from":"ghost","to":"a"}]}
            """);

        AssertReports(result, "/edges/1/from", "'ghost' is not a node");
    }

    [Fact]
    public void AnEdgeToAnUnknownNodeIsReportedAtItsTo()
    {
        var result = CompileJson("""
            {"id":"w","start":"a",
             "nodes":{"a":{"type":"delay","with":{"duration":"1s"}}},
             "edges":[{"from":"a","to":"ghost"}]}
            """);

        AssertReports(result, "/edges/0/to", "'ghost' is not a node");
    }

    [Fact]
    public void ANodeUnreachableFromTheStartIsReported()
    {
        var result = CompileJson("""
            {"id":"w","start":"a",
             "nodes":{"a":{"type":"delay","with":{"duration":"1s"}},"island":{"type":"delay","with":{"duration":"1s"}}}}
            """);

        AssertReports(result, "/nodes/island", "is not reachable from the start node 'a'");
    }

    [Fact]
    public void ACycleWithoutMaxVisitsIsReported()
    {
        var result = CompileJson("""
            {"id":"w","start":"a",
             "nodes":{"a":{"type":"delay","with":{"duration":"1s"}},"b":{"type":"delay","with":{"duration":"1s"}}},
             "edges":[{"from":"a","to":"b"},{"from":"b","to":"a","when":"state.again"}]}
            """);

        AssertReports(result, "/nodes/a", "is on a cycle (a → b → a) with no iteration bound");
    }

    [Fact]
    public void ASelfLoopWithoutMaxVisitsIsReported()
    {
        var result = CompileJson("""
            {"id":"w","start":"a",
             "nodes":{"a":{"type":"delay","with":{"duration":"1s"}}},
             "edges":[{"from":"a","to":"a","when":"state.again"}]}
            """);

        AssertReports(result, "/nodes/a", "is on a cycle");
    }

    [Fact]
    public void ACycleIsAcceptedWhenANodeOnItSetsMaxVisits()
    {
        var workflow = Valid("""
            {"id":"w","start":"a",
             "nodes":{"a":{"type":"delay","with":{"duration":"1s"}},"b":{"type":"delay","with":{"duration":"1s"},"maxVisits":5}},
             "edges":[{"from":"a","to":"b"},{"from":"b","to":"a","when":"state.again"}]}
            """);

        Assert.Equal(5, workflow.Nodes["b"].MaxVisits);
    }
}
