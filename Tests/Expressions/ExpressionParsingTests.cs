using AgentOrleans.Grains.Expressions;

namespace AgentOrleans.Tests.Expressions;

public class ExpressionParsingTests
{
    [Theory]
    [InlineData("var x = 1")]
    [InlineData("x = 1; x")]
    [InlineData("if (true) { 1 }")]
    [InlineData("while (true) {}")]
    [InlineData("function f() {}")]
    public void StatementsAreRefused(string source)
    {
        Assert.Null(Expression.TryParse(source, out var error));
        Assert.Equal("must be a single expression, not statements", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void AnEmptyExpressionIsRefused(string source)
    {
        Assert.Null(Expression.TryParse(source, out var error));
        Assert.Equal("the expression is empty", error);
    }

    [Fact]
    public void ASyntaxErrorIsRefusedWithTheParsersReason()
    {
        Assert.Null(Expression.TryParse("state.a +* 2", out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void AnExpressionKeepsItsSource()
    {
        Assert.Equal("state.a > 1", Expression.TryParse("state.a > 1", out _)!.Source);
    }
}
