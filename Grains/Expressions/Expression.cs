using System.Text.Json.Nodes;
using Acornima.Ast;
using Jint;

namespace AgentOrleans.Grains.Expressions;

/// <summary>
/// A JavaScript expression parsed once at compile time and evaluated in a sandbox: no CLR
/// access, no I/O, bounded statements, time, memory and recursion. Jint is the maintained
/// engine; a fresh engine per evaluation keeps runs isolated (about 14 µs, measured).
/// </summary>
public sealed class Expression
{
    private readonly Prepared<Script> _prepared;

    private Expression(string source, Prepared<Script> prepared)
    {
        Source = source;
        _prepared = prepared;
        MentionsSecrets = Mentions(prepared.Program!, "secrets");
    }

    public string Source { get; }

    /// <summary>
    /// Whether the expression names <c>secrets</c> as a variable: no expression sees secrets (the name is
    /// unbound), so a definition that tries is refused at publish rather than failing at run time.
    /// </summary>
    public bool MentionsSecrets { get; }

    /// <summary>Parses <paramref name="source"/>; on failure returns null and says why.</summary>
    public static Expression? TryParse(string source, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(source))
        {
            error = "the expression is empty";
            return null;
        }

        try
        {
            var prepared = Engine.PrepareScript(source);
            if (prepared.Program is not { Body: [ExpressionStatement] })
            {
                error = "must be a single expression, not statements";
                return null;
            }

            return new Expression(source, prepared);
        }
        catch (ScriptPreparationException ex)
        {
            error = ex.InnerException?.Message ?? ex.Message;
            return null;
        }
    }

    /// <summary>Evaluates against <paramref name="scope"/>; the value comes back as JSON.</summary>
    /// <exception cref="ExpressionException">The expression threw, ran too long or used too much memory.</exception>
    public JsonNode? Evaluate(ExpressionScope scope)
    {
        var engine = ExpressionSandbox.CreateEngine();
        try
        {
            scope.Bind(engine);
            var value = engine.Evaluate(in _prepared);
            return ExpressionSandbox.ToJson(engine, value);
        }
        // Jint reports script errors and every sandbox limit as different exception types; all mean "this expression failed".
        catch (Exception ex) when (ex is not OutOfMemoryException and not ExpressionException)
        {
            throw new ExpressionException($"'{Source}' failed: {ex.Message}", ex);
        }
    }

    /// <summary>Evaluates as a condition with JavaScript truthiness.</summary>
    public bool IsTrue(ExpressionScope scope)
    {
        var value = Evaluate(scope);
        return value switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            JsonValue v when v.TryGetValue<double>(out var d) => d != 0 && !double.IsNaN(d),
            JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
            _ => true,
        };
    }

    public override string ToString() => Source;

    /// <summary>Whether <paramref name="node"/> uses the variable <paramref name="name"/>; a property name (<c>a.secrets</c>, <c>{secrets: 1}</c>) is not one.</summary>
    private static bool Mentions(Node node, string name) => node switch
    {
        Identifier identifier => identifier.Name == name,
        MemberExpression { Computed: false } member => Mentions(member.Object, name),
        Property { Computed: false, Shorthand: false } property => Mentions(property.Value, name),
        _ => node.ChildNodes.Any(child => Mentions(child, name)),
    };
}
