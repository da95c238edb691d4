using static AgentOrleans.Tests.Workflows.Definitions;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Workflows;

public class ManyProblemsTests
{
    [Fact]
    public void EveryProblemOfADefinitionIsReportedAtOnce()
    {
        var result = CompileJson("""
            {
              "id": "many",
              "start": "first",
              "colour": "blue",
              "timeout": "forever",
              "nodes": {
                "first": { "type": "delay", "with": { "duration": "2 seconds" }, "retry": { "maxAttempts": 0 } },
                "second": { "type": "teleport" },
                "third": { "type": "transform", "with": { "set": { "x": "${{ 1 + }}" } } },
                "fourth": { "type": "http", "with": {} }
              },
              "edges": [
                { "from": "first", "to": "third", "when": "state.ok &&" },
                { "from": "first", "to": "nowhere" },
                { "from": "first", "to": "fourth" }
              ]
            }
            """);

        Assert.Null(result.Workflow);
        AssertReports(result.Problems, "/colour", "unknown field 'colour'");
        AssertReports(result.Problems, "/timeout", "'forever' is not a duration");
        AssertReports(result.Problems, "/nodes/first/with/duration", "must be a duration");
        AssertReports(result.Problems, "/nodes/first/retry/maxAttempts", "must be a whole number from 1");
        AssertReports(result.Problems, "/nodes/second/type", "unknown step type 'teleport'");
        AssertReports(result.Problems, "/nodes/second", "is not reachable");
        AssertReports(result.Problems, "/nodes/third/with/set/x", "invalid expression");
        AssertReports(result.Problems, "/nodes/fourth/with/url", "is required");
        AssertReports(result.Problems, "/edges/0/when", "invalid condition");
        AssertReports(result.Problems, "/edges/1/to", "'nowhere' is not a node");
        Assert.True(result.Problems.Select(p => p.Pointer).Distinct().Count() >= 6);
    }
}
