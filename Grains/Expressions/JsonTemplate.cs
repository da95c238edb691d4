using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentOrleans.Grains.Expressions;

/// <summary>
/// A JSON value whose strings may hold expressions, compiled once. A string that is exactly
/// <c>${{ expr }}</c> becomes the expression's JSON value; a string with <c>${{ expr }}</c> amid
/// other text is interpolated; everything else is a literal.
/// </summary>
public abstract partial class JsonTemplate
{
    public abstract JsonNode? Render(ExpressionScope scope);

    /// <summary>True when rendering can give something other than the literal.</summary>
    public abstract bool HasExpressions { get; }

    /// <summary>
    /// The template of property <paramref name="name"/> of an object template; null for anything
    /// else. Lets a step render the parts of a deferred setting separately (an agent's tools).
    /// </summary>
    public virtual JsonTemplate? Property(string name) => null;

    /// <summary>The templates of the elements of an array template; empty for anything else.</summary>
    public virtual IReadOnlyList<JsonTemplate> Elements => [];

    /// <summary>Compiles <paramref name="value"/>, reporting each bad expression with its JSON pointer.</summary>
    public static JsonTemplate Compile(JsonNode? value, string pointer, Action<string, string> problem) => value switch
    {
        JsonObject obj => new ObjectTemplate(obj.Select(p => (p.Key, Compile(p.Value, $"{pointer}/{JsonPointer.Escape(p.Key)}", problem))).ToList()),
        JsonArray array => new ArrayTemplate(array.Select((v, i) => Compile(v, $"{pointer}/{i}", problem)).ToList()),
        JsonValue v when v.TryGetValue<string>(out var text) && text.Contains("${{", StringComparison.Ordinal) => CompileString(text, pointer, problem),
        _ => new LiteralTemplate(value?.DeepClone()),
    };

    private static JsonTemplate CompileString(string text, string pointer, Action<string, string> problem)
    {
        var matches = Placeholder().Matches(text);
        if (matches.Count == 0)
        {
            problem(pointer, "'${{' is not closed by '}}'");
            return new LiteralTemplate(JsonValue.Create(text));
        }

        var parts = new List<object>();
        var position = 0;
        foreach (Match match in matches)
        {
            if (match.Index > position)
            {
                parts.Add(text[position..match.Index]);
            }

            var expression = Expression.TryParse(match.Groups["expr"].Value, out var error);
            if (expression is null)
            {
                problem(pointer, $"invalid expression '{match.Groups["expr"].Value.Trim()}': {error}");
            }
            else
            {
                parts.Add(expression);
            }

            position = match.Index + match.Length;
        }

        if (position < text.Length)
        {
            if (text.AsSpan(position).Contains("${{", StringComparison.Ordinal))
            {
                problem(pointer, "'${{' is not closed by '}}'");
            }

            parts.Add(text[position..]);
        }

        return parts is [Expression single] ? new ExpressionTemplate(single) : new InterpolationTemplate(parts);
    }

    [GeneratedRegex(@"\$\{\{(?<expr>.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Placeholder();

    private sealed class LiteralTemplate(JsonNode? value) : JsonTemplate
    {
        public override bool HasExpressions => false;

        public override JsonNode? Render(ExpressionScope scope) => value?.DeepClone();
    }

    private sealed class ExpressionTemplate(Expression expression) : JsonTemplate
    {
        public override bool HasExpressions => true;

        public override JsonNode? Render(ExpressionScope scope) => expression.Evaluate(scope);
    }

    private sealed class InterpolationTemplate(IReadOnlyList<object> parts) : JsonTemplate
    {
        public override bool HasExpressions => true;

        public override JsonNode? Render(ExpressionScope scope)
        {
            var text = new StringBuilder();
            foreach (var part in parts)
            {
                text.Append(part switch
                {
                    Expression e => e.Evaluate(scope) switch
                    {
                        null => "",
                        JsonValue v when v.TryGetValue<string>(out var s) => s,
                        var node => node.ToJsonString(),
                    },
                    _ => (string)part,
                });
            }

            return JsonValue.Create(text.ToString());
        }
    }

    private sealed class ObjectTemplate(IReadOnlyList<(string Key, JsonTemplate Value)> properties) : JsonTemplate
    {
        public override bool HasExpressions { get; } = properties.Any(p => p.Value.HasExpressions);

        public override JsonTemplate? Property(string name) => properties.FirstOrDefault(p => p.Key == name).Value;

        public override JsonNode? Render(ExpressionScope scope)
        {
            var result = new JsonObject();
            foreach (var (key, value) in properties)
            {
                result[key] = value.Render(scope);
            }

            return result;
        }
    }

    private sealed class ArrayTemplate(IReadOnlyList<JsonTemplate> items) : JsonTemplate
    {
        public override bool HasExpressions { get; } = items.Any(i => i.HasExpressions);

        public override IReadOnlyList<JsonTemplate> Elements => items;

        public override JsonNode? Render(ExpressionScope scope) => new JsonArray(items.Select(i => i.Render(scope)).ToArray());
    }
}
