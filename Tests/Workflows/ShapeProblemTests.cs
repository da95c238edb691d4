using static AgentOrleans.Tests.Workflows.Definitions;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Workflows;

/// <summary>Problems with the document's shape: fields, ids, numbers and durations.</summary>
public class ShapeProblemTests
{
    [Fact]
    public void AnUnknownTopLevelFieldIsReported()
    {
        var result = CompileJson("""{"id":"w","start":"a","owner":"me","nodes":{"a":{"type":"delay","with":{"duration":"1s"}}}}""");

        AssertReports(result, "/owner", "unknown field 'owner'");
    }

    [Fact]
    public void TheSchemaPropertyIsAllowedAtTheTopLevel()
    {
        Valid("""{"$schema":"https://agentorleans.dev/schemas/workflow.json","id":"w","start":"a","nodes":{"a":{"type":"delay","with":{"duration":"1s"}}}}""");
    }

    [Fact]
    public void EndIsReservedAsANodeId()
    {
        var result = CompileJson("""
            {"id":"w","start":"a",
             "nodes":{"a":{"type":"delay","with":{"duration":"1s"}},"end":{"type":"delay","with":{"duration":"1s"}}},
             "edges":[{"from":"a","to":"end"}]}
            """);

        AssertReports(result, "/nodes/end", "'end' is reserved");
    }

    [Fact]
    public void ZeroMaxAttemptsIsReported()
    {
        var result = CompileJson("""{"id":"w","start":"a","nodes":{"a":{"type":"delay","with":{"duration":"1s"},"retry":{"maxAttempts":0}}}}""");

        AssertReports(result, "/nodes/a/retry/maxAttempts", "must be a whole number from 1");
    }

    [Fact]
    public void ABadNodeTimeoutIsReported()
    {
        var result = CompileJson("""{"id":"w","start":"a","nodes":{"a":{"type":"delay","with":{"duration":"1s"},"timeout":"soon"}}}""");

        AssertReports(result, "/nodes/a/timeout", "'soon' is not a duration");
    }

    [Fact]
    public void ABadRetryInitialDelayIsReported()
    {
        var result = CompileJson("""{"id":"w","start":"a","nodes":{"a":{"type":"delay","with":{"duration":"1s"},"retry":{"initialDelay":"5 sec"}}}}""");

        AssertReports(result, "/nodes/a/retry/initialDelay", "'5 sec' is not a duration");
    }

    [Fact]
    public void ABadDelayDurationIsReportedAtTheSetting()
    {
        var result = CompileJson("""{"id":"w","start":"a","nodes":{"a":{"type":"delay","with":{"duration":"-2s"}}}}""");

        AssertReports(result, "/nodes/a/with/duration", "must be a duration");
    }

    [Fact]
    public void ANodeIdWithForbiddenCharactersIsReportedWithAnEscapedPointer()
    {
        var result = CompileJson("""{"id":"w","start":"a","nodes":{"a":{"type":"delay","with":{"duration":"1s"}},"x/y":{"type":"delay","with":{"duration":"1s"}}}}""");

        AssertReports(result, "/nodes/x~1y", "a node id starts with a letter or '_'");
    }
}
