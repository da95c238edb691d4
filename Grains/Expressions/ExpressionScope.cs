using System.Text.Json.Nodes;
using Jint;

namespace AgentOrleans.Grains.Expressions;

/// <summary>
/// The names an expression can see: <c>input</c> (the execution input), <c>state</c> (the run's
/// state object) and any extra names a step adds (<c>item</c> and <c>index</c> inside <c>map</c>).
/// </summary>
public sealed class ExpressionScope(JsonNode? input, JsonNode? state, IReadOnlyDictionary<string, JsonNode?>? extra = null)
{
    public static readonly ExpressionScope Empty = new(null, new JsonObject());

    public ExpressionScope With(string name, JsonNode? value)
    {
        var names = extra is null ? new Dictionary<string, JsonNode?>() : new Dictionary<string, JsonNode?>(extra);
        names[name] = value;
        return new ExpressionScope(input, state, names);
    }

    internal void Bind(Engine engine)
    {
        engine.SetValue("input", ExpressionSandbox.FromJson(engine, input));
        engine.SetValue("state", ExpressionSandbox.FromJson(engine, state));
        if (extra is null)
        {
            return;
        }

        foreach (var (name, value) in extra)
        {
            engine.SetValue(name, ExpressionSandbox.FromJson(engine, value));
        }
    }
}
