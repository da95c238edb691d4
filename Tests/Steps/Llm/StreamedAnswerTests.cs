using System.Net.Http.Headers;
using System.Text.Json;
using AgentOrleans.Grains.Steps.BuiltIn.Llm;
using Microsoft.Extensions.AI;

namespace AgentOrleans.Tests.Steps.Llm;

public class StreamedAnswerTests
{
    [Fact]
    public void TextToolCallsUsageAndTheServedModelMakeTheTurn()
    {
        var answer = new StreamedAnswer("requested");
        ChatResponseUpdate[] updates =
        [
            new(ChatRole.Assistant, "Hel") { ModelId = "served" },
            new(ChatRole.Assistant, "lo"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "look", new Dictionary<string, object?> { ["q"] = 1 })]),
            new(ChatRole.Assistant, [new FunctionCallContent("", "other", null)]) { FinishReason = ChatFinishReason.ToolCalls },
            new(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 7, OutputTokenCount = 3 })]),
        ];

        Assert.Equal(["Hel", "lo", "", "", ""], updates.Select(answer.Apply));

        var turn = answer.ToTurn();
        Assert.True(answer.Finished);
        Assert.Equal("Hello", turn.Content);
        Assert.Equal([new ToolCall("c1", "look", """{"q":1}"""), new ToolCall("call_1", "other", "{}")], turn.ToolCalls);
        Assert.Equal(new ChatUsage(7, 3), turn.Usage);
        Assert.Equal("served", turn.Model);
    }

    [Fact]
    public void WithoutUsageFromTheServerTheTextChunksAreCountedAndTheRequestedModelIsKept()
    {
        var answer = new StreamedAnswer("m");

        answer.Apply(new ChatResponseUpdate(ChatRole.Assistant, "Hel"));
        answer.Apply(new ChatResponseUpdate(ChatRole.Assistant, "lo"));

        Assert.False(answer.Finished);
        Assert.Equal(new ChatUsage(0, 2), answer.ToTurn().Usage);
        Assert.Equal("m", answer.ToTurn().Model);
    }

    [Fact]
    public void ArgumentsThatAreNotAnObjectStayUnparseableForTheAgent()
    {
        var answer = new StreamedAnswer("m");
        var broken = FunctionCallContent.CreateFromParsedArguments("[1,", "c1", "look", json => JsonSerializer.Deserialize<Dictionary<string, object?>>(json));

        answer.Apply(new ChatResponseUpdate(ChatRole.Assistant, [broken]));

        Assert.Null(AgentTool.ParseArguments(answer.ToTurn().ToolCalls[0].Arguments));
    }

    [Fact]
    public void RetryAfterIsReadAsSecondsOrAsADate()
    {
        var now = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(3), RetryAfterHeader.Read("3", now));
        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfterHeader.Read(now.AddSeconds(90).ToString("R"), now));
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Read(new RetryConditionHeaderValue(now.AddSeconds(-5)), now));
        Assert.Null(RetryAfterHeader.Read((string?)null, now));
        Assert.Null(RetryAfterHeader.Read("soon", now));
    }
}
