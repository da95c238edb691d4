using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Steps.BuiltIn.Llm;

namespace AgentOrleans.Tests.Steps.Llm;

public class StreamedAnswerTests
{
    [Fact]
    public void ToolCallDeltasAreJoinedByIndexAndUsageComesFromTheFinalChunk()
    {
        var answer = new StreamedAnswer("requested");
        string[] chunks =
        [
            """{"model":"served","choices":[{"delta":{"tool_calls":[{"index":0,"id":"c1","function":{"name":"look","arguments":""}}]}}]}""",
            """{"choices":[{"delta":{"tool_calls":[{"index":1,"id":"c2","function":{"name":"other","arguments":"{}"}}]}}]}""",
            """{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"q\":"}}]}}]}""",
            """{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]}}]}""",
            """{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3}}""",
        ];

        foreach (var chunk in chunks)
        {
            Assert.Equal("", answer.Apply(JsonNode.Parse(chunk)));
        }

        var turn = answer.ToTurn();
        Assert.Equal([new ToolCall("c1", "look", """{"q":1}"""), new ToolCall("c2", "other", "{}")], turn.ToolCalls);
        Assert.Equal(new ChatUsage(7, 3), turn.Usage);
        Assert.Equal("served", turn.Model);
    }

    [Fact]
    public void WithoutUsageFromTheServerTheContentChunksAreCounted()
    {
        var answer = new StreamedAnswer("m");

        Assert.Equal("Hel", answer.Apply(JsonNode.Parse("""{"choices":[{"delta":{"content":"Hel"}}]}""")));
        Assert.Equal("lo", answer.Apply(JsonNode.Parse("""{"choices":[{"delta":{"content":"lo"}}]}""")));

        Assert.Equal(new ChatTurn("Hello", [], new ChatUsage(0, 2), "m").Content, answer.ToTurn().Content);
        Assert.Equal(new ChatUsage(0, 2), answer.ToTurn().Usage);
    }

    [Fact]
    public void RetryAfterIsReadAsSecondsOrAsADate()
    {
        var now = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(3), RetryAfterHeader.Read(new RetryConditionHeaderValue(TimeSpan.FromSeconds(3)), now));
        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfterHeader.Read(new RetryConditionHeaderValue(now.AddSeconds(90)), now));
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Read(new RetryConditionHeaderValue(now.AddSeconds(-5)), now));
        Assert.Null(RetryAfterHeader.Read(null, now));
    }
}
