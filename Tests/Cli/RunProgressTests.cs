using AgentOrleans.Cli.Watch;
using AgentOrleans.Grains.Executions;
using Spectre.Console.Testing;

namespace AgentOrleans.Tests.Cli;

/// <summary>How the live view folds a run's events: node states, attempts, streamed tokens and tool calls, and the run's end.</summary>
public sealed class RunProgressTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
    private long _seq;

    private ExecutionEvent Event(string type, string? node = null, int? attempt = null, string? data = null) =>
        new(++_seq, type, T0.AddSeconds(_seq), "e1", node, attempt, data);

    [Fact]
    public void EventsBecomeNodesWithTheirStateTokensAndToolCalls()
    {
        var run = new RunProgress("e1");
        foreach (var e in new[]
        {
            Event(EventTypes.ExecutionStarted),
            Event(EventTypes.NodeStarted, "think", 1),
            Event(EventTypes.NodeProgress, "think", 1, """{"chunks": [{"token": "Hello"}, {"token": " world"}, {"toolCall": {"name": "search"}}]}"""),
            Event(EventTypes.NodeRetrying, "think", 1, "{}"),
            Event(EventTypes.NodeStarted, "think", 2),
            Event(EventTypes.NodeCompleted, "think", 2, "{}"),
            Event(EventTypes.NodeStarted, "ask", 1),
            Event(EventTypes.NodeWaiting, "ask", 1, "{}"),
        })
        {
            run.Apply(e);
        }

        Assert.Equal("waiting", run.Status);
        Assert.Equal(["think", "ask"], run.Nodes.Select(n => n.Id));
        var think = run.Nodes[0];
        Assert.Equal(("succeeded", 2, 1, "Hello world"), (think.Status, think.Attempt, think.ToolCalls, think.Tokens));
        Assert.Equal("waiting", run.Nodes[1].Status);
        Assert.False(run.Ended);

        run.Apply(Event(EventTypes.NodeFailed, "ask", 1, """{"type": "Boom", "message": "it broke"}"""));
        run.Apply(Event(EventTypes.ExecutionFailed, data: "{}"));
        Assert.Equal(("failed", true, "it broke"), (run.Status, run.Ended, run.Nodes[1].Error));
    }

    [Fact]
    public void OnlyTheTailOfALongStreamIsKept()
    {
        var run = new RunProgress("e1");
        run.Apply(Event(EventTypes.NodeStarted, "talk", 1));
        for (var i = 0; i < 100; i++)
        {
            run.Apply(Event(EventTypes.NodeProgress, "talk", 1, $$"""{"chunks": [{"token": "word{{i}} "}]}"""));
        }

        var tokens = run.Nodes[0].Tokens;
        Assert.Equal(RunProgress.TokenTail, tokens.Length);
        Assert.EndsWith("word99 ", tokens, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTreeShowsEachNodeItsAttemptAndTokens()
    {
        var run = new RunProgress("e1");
        run.Apply(Event(EventTypes.ExecutionStarted));
        run.Apply(Event(EventTypes.NodeStarted, "think", 3));
        run.Apply(Event(EventTypes.NodeProgress, "think", 3, """{"chunks": [{"token": "streaming now"}]}"""));
        var console = new TestConsole();
        console.Profile.Width = 120;

        console.Write(RunView.Render(run, T0.AddSeconds(10), frame: 0));

        Assert.Contains("e1", console.Output, StringComparison.Ordinal);
        Assert.Contains("think", console.Output, StringComparison.Ordinal);
        Assert.Contains("attempt 3", console.Output, StringComparison.Ordinal);
        Assert.Contains("streaming now", console.Output, StringComparison.Ordinal);
        Assert.Contains("8.0 s", console.Output, StringComparison.Ordinal);
    }
}
