using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;
using static AgentOrleans.Tests.Expressions.Expressions;

namespace AgentOrleans.Tests.Expressions;

public class ExpressionEvaluationTests
{
    [Fact]
    public void ArithmeticReadsInputAndState()
    {
        var value = Parse("input.price * state.quantity + 1").Evaluate(Scope("""{"price": 2.5}""", """{"quantity": 4}"""));

        Assert.Equal(11.0, value!.GetValue<double>());
    }

    [Fact]
    public void LogicReadsInputAndState()
    {
        var value = Parse("input.enabled && state.count > 2 || state.forced").Evaluate(Scope("""{"enabled": true}""", """{"count": 3}"""));

        Assert.True(value!.GetValue<bool>());
    }

    [Fact]
    public void NullishCoalescingFallsBackOnlyForMissingValues()
    {
        Assert.Equal(3, Parse("input.from ?? 3").Evaluate(Scope("{}"))!.GetValue<int>());
        Assert.Equal(0, Parse("input.from ?? 3").Evaluate(Scope("""{"from": 0}"""))!.GetValue<int>());
    }

    [Fact]
    public void ExtraNamesAreInScope()
    {
        var scope = Scope().With("item", JsonValue.Create(7)).With("index", JsonValue.Create(2));

        Assert.Equal(14, Parse("item * index").Evaluate(scope)!.GetValue<int>());
    }

    [Fact]
    public void ObjectsAndArraysComeBackAsJson()
    {
        var value = Parse("({ doubled: input.items.map(x => x * 2) })").Evaluate(Scope("""{"items": [1, 2]}"""));

        Assert.Equal("""{"doubled":[2,4]}""", value!.ToJsonString());
    }

    [Fact]
    public void UndefinedComesBackAsNull()
    {
        Assert.Null(Parse("state.missing").Evaluate(Scope()));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("'text'", true)]
    [InlineData("''", false)]
    [InlineData("'0'", true)]
    [InlineData("null", false)]
    [InlineData("undefined", false)]
    [InlineData("NaN", false)]
    [InlineData("[]", true)]
    [InlineData("({})", true)]
    [InlineData("false", false)]
    public void IsTrueFollowsJavaScriptTruthiness(string source, bool expected)
    {
        Assert.Equal(expected, Parse(source).IsTrue(Scope()));
    }

    [Fact]
    public void AnExpressionThatThrowsFailsWithAnExpressionException()
    {
        var ex = Assert.Throws<ExpressionException>(() => Parse("state.missing.deeper").Evaluate(Scope()));

        Assert.Contains("'state.missing.deeper' failed", ex.Message, StringComparison.Ordinal);
    }
}
