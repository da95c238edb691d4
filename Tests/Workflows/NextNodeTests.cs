using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Tests.Workflows;

public class NextNodeTests
{
    // "low" and "any" both hold for a small score: order in the definition decides.
    private static readonly Lazy<CompiledWorkflow> Branching = new(() => Definitions.Valid("""
        {"id":"w","start":"score",
         "nodes":{
           "score":{"type":"transform","with":{"set":{"score":"${{ input.value }}"}}},
           "high":{"type":"transform","with":{"set":{"verdict":"high"}}},
           "low":{"type":"transform","with":{"set":{"verdict":"low"}}},
           "any":{"type":"transform","with":{"set":{"verdict":"any"}}}},
         "edges":[
           {"from":"score","to":"high","when":"state.score >= 10"},
           {"from":"score","to":"low","when":"state.score < 10"},
           {"from":"score","to":"any","when":"state.score < 100"},
           {"from":"high","to":"end"},
           {"from":"low","to":"any","when":"state.again === true"}]}
        """));

    private static ExpressionScope StateWith(string json) => new(null, JsonNode.Parse(json));

    [Fact]
    public void TheFirstEdgeInOrderWhoseConditionHoldsWins()
    {
        var score = Branching.Value.Nodes["score"];

        Assert.Equal("low", score.NextNodeId(StateWith("""{"score": 3}""")));
        Assert.Equal("high", score.NextNodeId(StateWith("""{"score": 30}""")));
    }

    [Fact]
    public void NoEdgeWhoseConditionHoldsEndsTheRun()
    {
        Assert.Null(Branching.Value.Nodes["low"].NextNodeId(StateWith("""{"again": false}""")));
    }

    [Fact]
    public void AnEdgeToEndEndsTheRun()
    {
        Assert.Null(Branching.Value.Nodes["high"].NextNodeId(StateWith("{}")));
    }

    [Fact]
    public void ANodeWithNoEdgeOutEndsTheRun()
    {
        Assert.Null(Branching.Value.Nodes["any"].NextNodeId(StateWith("{}")));
    }

    [Fact]
    public void AnEdgeWithoutAConditionIsAlwaysFollowed()
    {
        var workflow = Definitions.Valid("""
            {"id":"w","start":"a","nodes":{"a":{"type":"delay","with":{"duration":"1s"}},"b":{"type":"delay","with":{"duration":"1s"}}},
             "edges":[{"from":"a","to":"b"}]}
            """);

        Assert.Equal("b", workflow.Start.NextNodeId(ExpressionScope.Empty));
    }
}
