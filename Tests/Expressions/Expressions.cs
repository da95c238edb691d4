using System.Text.Json.Nodes;
using AgentOrleans.Grains.Expressions;

namespace AgentOrleans.Tests.Expressions;

internal static class Expressions
{
    public static Expression Parse(string source)
    {
        var expression = Expression.TryParse(source, out var error);
        Assert.True(expression is not null, $"expected '{source}' to parse; error: {error}");
        return expression!;
    }

    public static ExpressionScope Scope(string inputJson = "null", string stateJson = "{}") =>
        new(JsonNode.Parse(inputJson), JsonNode.Parse(stateJson));
}
