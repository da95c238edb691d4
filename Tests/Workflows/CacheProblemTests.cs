using static AgentOrleans.Tests.Workflows.Definitions;
using static AgentOrleans.Tests.Workflows.Problems;

namespace AgentOrleans.Tests.Workflows;

/// <summary>A node's <c>cache</c>: what compiles, and each problem reported with its pointer.</summary>
public class CacheProblemTests
{
    private static string WithCache(string cache, string type = "transform", string with = """{"set":{"x":1}}""") =>
        """{"id":"w","start":"a","nodes":{"a":{"type":""" + $"\"{type}\",\"with\":{with},\"cache\":{cache}" + "}}}";

    [Fact]
    public void ACacheWithATtlAndAKeyCompiles()
    {
        var node = Valid(WithCache("""{"ttl":"1h","key":"${{ input.q }}"}""")).Nodes["a"];

        Assert.Equal(TimeSpan.FromHours(1), node.Cache!.Ttl);
        Assert.True(node.Cache.Key!.HasExpressions);
    }

    [Fact]
    public void ACacheWithoutAKeyCompilesAndANodeWithoutCacheHasNone()
    {
        var workflow = Valid("""{"id":"w","start":"a","nodes":{"a":{"type":"transform","with":{"set":{"x":1}},"cache":{"ttl":"PT5M"}},"b":{"type":"transform","with":{"set":{}}}},"edges":[{"from":"a","to":"b"}]}""");

        Assert.Equal(TimeSpan.FromMinutes(5), workflow.Nodes["a"].Cache!.Ttl);
        Assert.Null(workflow.Nodes["a"].Cache!.Key);
        Assert.Null(workflow.Nodes["b"].Cache);
    }

    [Theory]
    [InlineData("\"1h\"")]
    [InlineData("[]")]
    [InlineData("true")]
    public void ACacheThatIsNotAnObjectIsReported(string cache) =>
        AssertReports(CompileJson(WithCache(cache)), "/nodes/a/cache", "must be an object");

    [Fact]
    public void AnUnknownCacheFieldIsReported() =>
        AssertReports(CompileJson(WithCache("""{"ttl":"1h","scope":"global"}""")), "/nodes/a/cache/scope", "unknown field 'scope'; expected one of: ttl, key");

    [Fact]
    public void AMissingTtlIsReported() =>
        AssertReports(CompileJson(WithCache("""{"key":"k"}""")), "/nodes/a/cache/ttl", "is required");

    [Theory]
    [InlineData("\"soon\"", "is not a duration")]
    [InlineData("\"0s\"", "must be positive")]
    [InlineData("\"400d\"", "at most 365d")]
    [InlineData("3600", "must be a string")]
    [InlineData("\"99999999999999999d\"", "is not a duration")]
    [InlineData("\"P99999999999999999D\"", "is not a duration")]
    public void ATtlThatIsNotAPositiveDurationIsReported(string ttl, string message) =>
        AssertReports(CompileJson(WithCache($$"""{"ttl":{{ttl}}}""")), "/nodes/a/cache/ttl", message);

    [Theory]
    [InlineData("42")]
    [InlineData("{\"q\":\"${{ input.q }}\"}")]
    public void AKeyThatIsNotAStringIsReported(string key) =>
        AssertReports(CompileJson(WithCache($$"""{"ttl":"1h","key":{{key}}}""")), "/nodes/a/cache/key", "must be a string");

    [Fact]
    public void AKeyWithABadExpressionIsReported() =>
        AssertReports(CompileJson(WithCache("""{"ttl":"1h","key":"${{ input.q + }}"}""")), "/nodes/a/cache/key", "invalid expression");

    [Fact]
    public void AKeyMayNotReferenceASecret() =>
        AssertReports(CompileJson(WithCache("""{"ttl":"1h","key":"${{ secrets.TOKEN }}"}""")), "/nodes/a/cache/key", "secret");

    [Fact]
    public void AWaitNodeCannotBeCached() =>
        AssertReports(CompileJson(WithCache("""{"ttl":"1h"}""", type: "wait", with: """{"signal":"go"}""")), "/nodes/a/cache", "a wait node cannot be cached");

    [Fact]
    public void EveryCacheProblemIsReportedAtOnce()
    {
        var result = CompileJson(WithCache("""{"ttl":"never","key":7,"extra":1}"""));

        AssertReports(result, "/nodes/a/cache/ttl", "is not a duration");
        AssertReports(result, "/nodes/a/cache/key", "must be a string");
        AssertReports(result, "/nodes/a/cache/extra", "unknown field");
    }
}
