using AgentOrleans.Grains.Expressions;
using static AgentOrleans.Tests.Expressions.Expressions;

namespace AgentOrleans.Tests.Expressions;

/// <summary>Expressions come from definition authors: they must not reach the host or run forever.</summary>
public class ExpressionSandboxTests
{
    // Guards the test run: a sandbox that fails to stop the expression would otherwise hang it.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private static Task<ExpressionException> EvaluationFailsAsync(string source) =>
        Assert.ThrowsAsync<ExpressionException>(() => Task.Run(() => Parse(source).Evaluate(Scope())).WaitAsync(Guard));

    [Theory]
    [InlineData("typeof System === 'undefined'")]
    [InlineData("typeof importNamespace === 'undefined'")]
    [InlineData("typeof require === 'undefined'")]
    [InlineData("typeof fetch === 'undefined'")]
    [InlineData("typeof XMLHttpRequest === 'undefined'")]
    [InlineData("typeof process === 'undefined'")]
    [InlineData("typeof setTimeout === 'undefined'")]
    public void NoHostOrIoApiIsReachable(string source)
    {
        Assert.True(Parse(source).IsTrue(Scope()));
    }

    [Fact]
    public async Task AnEmptyInfiniteLoopIsStoppedRatherThanHanging()
    {
        await EvaluationFailsAsync("(() => { while (true) {} })()");
    }

    [Fact]
    public async Task AnInfiniteLoopWithABodyIsStoppedRatherThanHanging()
    {
        await EvaluationFailsAsync("(() => { let i = 0; while (true) { i++; } })()");
    }

    [Fact]
    public async Task UnboundedRecursionIsStopped()
    {
        await EvaluationFailsAsync("(function f(n) { return f(n + 1); })(0)");
    }

    [Fact]
    public async Task AllocatingWithoutBoundIsStopped()
    {
        await EvaluationFailsAsync("(() => { const a = []; for (;;) { a.push('x'.repeat(1000)); } })()");
    }
}
