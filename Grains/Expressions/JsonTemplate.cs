using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentOrleans.Grains.Secrets;

namespace AgentOrleans.Grains.Expressions;

/// <summary>
/// A JSON value whose strings may hold expressions, compiled once. A string that is exactly
/// <c>${{ expr }}</c> becomes the expression's JSON value; a string with <c>${{ expr }}</c> amid
/// other text is interpolated; everything else is a literal. Where the compiler allows them, a
/// placeholder that is exactly <c>${{ secrets.NAME }}</c> is a secret reference, not an expression:
/// <see cref="Render(ExpressionScope)"/> keeps its placeholder text, and only
/// <see cref="Render(ExpressionScope, SecretValues)"/> puts the value in.
/// </summary>
public abstract partial class JsonTemplate
{
    public JsonNode? Render(ExpressionScope scope) => Render(scope, SecretValues.None);

    /// <summary>
    /// Renders with each secret reference replaced by its value in <paramref name="secrets"/> (every name
    /// <see cref="SecretReferences"/> lists must be there). For the step that sends them only: the result
    /// holds the values, so it must go nowhere but the outgoing request.
    /// </summary>
    public abstract JsonNode? Render(ExpressionScope scope, SecretValues secrets);

    /// <summary>True when rendering can give something other than the literal.</summary>
    public abstract bool HasExpressions { get; }

    /// <summary>The secrets this template references, each with the pointer of the string naming it.</summary>
    public virtual IEnumerable<(string Pointer, string Name)> SecretReferences => [];

    /// <summary>
    /// The template of property <paramref name="name"/> of an object template; null for anything
    /// else. Lets a step render the parts of a deferred setting separately (an agent's tools).
    /// </summary>
    public virtual JsonTemplate? Property(string name) => null;

    /// <summary>The templates of the elements of an array template; empty for anything else.</summary>
    public virtual IReadOnlyList<JsonTemplate> Elements => [];

    /// <summary>Compiles <paramref name="value"/>, reporting each bad expression with its JSON pointer.</summary>
    /// <param name="value">The JSON to compile.</param>
    /// <param name="pointer">Where <paramref name="value"/> is in the definition.</param>
    /// <param name="problem">Told each problem: its pointer and what is wrong.</param>
    /// <param name="secretsAllowed">
    /// Given a string's pointer, whether <c>${{ secrets.NAME }}</c> may appear in it (default: nowhere). A
    /// reference anywhere else, or an expression using <c>secrets</c>, is a problem.
    /// </param>
    public static JsonTemplate Compile(JsonNode? value, string pointer, Action<string, string> problem, Func<string, bool>? secretsAllowed = null) => value switch
    {
        JsonObject obj => new ObjectTemplate(obj.Select(p => (p.Key, Compile(p.Value, $"{pointer}/{JsonPointer.Escape(p.Key)}", problem, secretsAllowed))).ToList()),
        JsonArray array => new ArrayTemplate(array.Select((v, i) => Compile(v, $"{pointer}/{i}", problem, secretsAllowed)).ToList()),
        JsonValue v when v.TryGetValue<string>(out var text) && text.Contains("${{", StringComparison.Ordinal) =>
            CompileString(text, pointer, problem, secretsAllowed?.Invoke(pointer) == true),
        _ => new LiteralTemplate(value?.DeepClone()),
    };

    private static JsonTemplate CompileString(string text, string pointer, Action<string, string> problem, bool secretsAllowed)
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

            var source = match.Groups["expr"].Value;
            if (SecretReference.TryParse(source, out var name))
            {
                if (!secretsAllowed)
                {
                    problem(pointer, $"'{match.Value}': {SecretReference.WhereAllowed}");
                }

                parts.Add(new Secret(name));
            }
            else if (Expression.TryParse(source, out var error) is not { } expression)
            {
                problem(pointer, $"invalid expression '{source.Trim()}': {error}");
            }
            else if (expression.MentionsSecrets)
            {
                problem(pointer, secretsAllowed
                    ? $"'{source.Trim()}': a secret is referenced on its own, as ${{{{ secrets.NAME }}}}, never inside an expression"
                    : $"'{source.Trim()}': {SecretReference.WhereAllowed}");
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

        return parts is [Expression single] ? new ExpressionTemplate(single) : new InterpolationTemplate(parts, pointer);
    }

    [GeneratedRegex(@"\$\{\{(?<expr>.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Placeholder();

    private sealed class LiteralTemplate(JsonNode? value) : JsonTemplate
    {
        public override bool HasExpressions => false;

        public override JsonNode? Render(ExpressionScope scope, SecretValues secrets) => value?.DeepClone();
    }

    private sealed class ExpressionTemplate(Expression expression) : JsonTemplate
    {
        public override bool HasExpressions => true;

        public override JsonNode? Render(ExpressionScope scope, SecretValues secrets) => expression.Evaluate(scope);
    }

    /// <summary>A secret reference, a part of an <see cref="InterpolationTemplate"/>.</summary>
    private sealed record Secret(string Name);

    private sealed class InterpolationTemplate(IReadOnlyList<object> parts, string pointer) : JsonTemplate
    {
        public override bool HasExpressions => true;

        public override IEnumerable<(string Pointer, string Name)> SecretReferences => parts.OfType<Secret>().Select(s => (pointer, s.Name));

        public override JsonNode? Render(ExpressionScope scope, SecretValues secrets)
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
                    // The value only when asked for; an expression's value is never looked at for references.
                    Secret secret => secrets.IsEmpty ? SecretReference.Placeholder(secret.Name) : secrets[secret.Name],
                    _ => (string)part,
                });
            }

            return JsonValue.Create(text.ToString());
        }
    }

    private sealed class ObjectTemplate(IReadOnlyList<(string Key, JsonTemplate Value)> properties) : JsonTemplate
    {
        public override bool HasExpressions { get; } = properties.Any(p => p.Value.HasExpressions);

        public override IEnumerable<(string Pointer, string Name)> SecretReferences => properties.SelectMany(p => p.Value.SecretReferences);

        public override JsonTemplate? Property(string name) => properties.FirstOrDefault(p => p.Key == name).Value;

        public override JsonNode? Render(ExpressionScope scope, SecretValues secrets)
        {
            var result = new JsonObject();
            foreach (var (key, value) in properties)
            {
                result[key] = value.Render(scope, secrets);
            }

            return result;
        }
    }

    private sealed class ArrayTemplate(IReadOnlyList<JsonTemplate> items) : JsonTemplate
    {
        public override bool HasExpressions { get; } = items.Any(i => i.HasExpressions);

        public override IReadOnlyList<JsonTemplate> Elements => items;

        public override IEnumerable<(string Pointer, string Name)> SecretReferences => items.SelectMany(i => i.SecretReferences);

        public override JsonNode? Render(ExpressionScope scope, SecretValues secrets) => new JsonArray(items.Select(i => i.Render(scope, secrets)).ToArray());
    }
}
