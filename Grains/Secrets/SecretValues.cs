using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentOrleans.Grains.Secrets;

/// <summary>
/// The values of the secrets one request uses, resolved as it is sent and dropped with it; and the
/// defensive scrub of what the request's outcome says (messages, the response) of any of them.
/// </summary>
public sealed class SecretValues
{
    /// <summary>What a secret's value is replaced by wherever it would otherwise be recorded.</summary>
    public const string Mask = "***";

    public static readonly SecretValues None = new(new Dictionary<string, string>());

    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly string[] _forms;

    private SecretValues(IReadOnlyDictionary<string, string> values)
    {
        _values = values;
        // The value as is, and as it reads inside a JSON string (a response that echoes it in JSON); longest first,
        // so a secret that contains another is masked whole.
        _forms = values.Values.Where(v => v.Length > 0)
            .SelectMany(v => new[] { v, JsonEncodedText.Encode(v, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value, JsonEncodedText.Encode(v).Value })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length)
            .ToArray();
    }

    public bool IsEmpty => _values.Count == 0;

    /// <summary>The value of <paramref name="name"/>; names ignore case, as configuration keys do.</summary>
    public string this[string name] => _values[name];

    /// <summary>
    /// Resolves <paramref name="names"/> for <paramref name="tenant"/>.
    /// </summary>
    /// <exception cref="SecretNotFoundException">The store has no such secret (any more).</exception>
    public static async Task<SecretValues> ResolveAsync(ISecretStore store, string tenant, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            if (!values.ContainsKey(name))
            {
                values[name] = await store.GetAsync(tenant, name, cancellationToken) ?? throw new SecretNotFoundException(name);
            }
        }

        return values.Count == 0 ? None : new SecretValues(values);
    }

    /// <summary><paramref name="text"/> with every value of these secrets replaced by <see cref="Mask"/>.</summary>
    public string Scrub(string text)
    {
        foreach (var form in _forms)
        {
            text = text.Replace(form, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}

/// <summary>A definition names a secret the store does not hold (removed since the definition was published).</summary>
public sealed class SecretNotFoundException(string name) : Exception($"no secret '{name}' is defined")
{
    public string Name { get; } = name;
}
