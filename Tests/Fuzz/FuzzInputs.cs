using System.Text;
using System.Text.Json.Nodes;

namespace AgentOrleans.Tests.Fuzz;

/// <summary>
/// Random and mutated request parts from a seeded <see cref="Random"/>: the same seed makes the same
/// requests. Mostly small, so a thousand requests per endpoint stay fast; now and then huge or deep.
/// With <c>apiKey</c>, most requests carry it and the rest a malformed, mutated or missing Authorization header.
/// </summary>
public sealed class FuzzInputs(Random random, string workflowId, string executionId, string? apiKey = null)
{
    /// <summary>A definition that publishes, the starting point of mutations.</summary>
    public static JsonObject Definition(string id) => new()
    {
        ["id"] = id,
        ["start"] = "set",
        ["timeout"] = "1m",
        ["nodes"] = new JsonObject { ["set"] = new JsonObject { ["type"] = "transform", ["with"] = new JsonObject { ["set"] = new JsonObject { ["done"] = true } } } },
    };

    private static readonly string[] OddIds =
    [
        "", " ", ".", "..", "%00", "a%00b", "%2e%2e", "%2F", "..%2F..%2Fetc", "%ff%fe", "%C0%AF", "%20", "-", "_", "CON", "-1",
        "ünïcødé", "😀", "\u202e", "a b", "a+b", "a;b", "x:y", "%E2%80%AE", "null", "0",
    ];

    private static readonly string[] OddNumbers = ["-1", "0", "1", "abc", "", " ", "1e3", "1.5", "99999999999", "-99999999999999999999", "2147483648", "0x10", "NaN", "%00"];

    private static readonly string[] OddDurations = ["abc", "-1s", "0s", "1ms", "PT0.1S", "99999h", "1.5s", "1e9s", "", "P1D", "10m", "%00"];

    private static readonly string[] Accepts = ["text/event-stream", "application/json", "*/*", "garbage", "text/event-stream;q=0", "", "application/json, text/event-stream", "text/*"];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json", "application/json; charset=utf-8", "application/json; charset=latin1", "application/yaml",
        "text/yaml", "text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "a/b/c", "", "application/json; charset=\"",
    ];

    public string Id() => Pick(
        () => Pick(OddIds),
        () => Uri.EscapeDataString(Text(random.Next(1, 12))),
        () => new string('x', random.Next(200, 5000)),
        () => workflowId,
        () => executionId,
        () => $"wf-{random.Next(1000)}");

    public string Number() => Pick(OddNumbers);

    public string Duration() => Pick(OddDurations);

    public string Query(params string[] names)
    {
        var parts = names.Where(_ => random.Next(2) == 0).Select(n => $"{n}={Uri.EscapeDataString(n is "wait" ? Duration() : Number())}");
        var query = string.Join("&", parts);
        return query.Length == 0 ? "" : $"?{query}";
    }

    public List<(string Name, string Value)> Headers()
    {
        var headers = new List<(string, string)>();
        if (apiKey is not null)
        {
            if (random.Next(8) != 0)
            {
                headers.Add(("Authorization", $"Bearer {apiKey}"));
            }
            else if (BadAuthorization(apiKey) is { } bad)
            {
                headers.Add(("Authorization", bad));
            }
        }
        if (random.Next(2) == 0)
        {
            headers.Add(("Accept", Pick(Accepts)));
        }

        if (random.Next(3) == 0)
        {
            headers.Add(("Last-Event-ID", Pick(Number, () => HeaderText(random.Next(1, 10)))));
        }

        if (random.Next(3) == 0)
        {
            headers.Add(("Idempotency-Key", Pick(() => HeaderText(random.Next(0, 20)), () => new string('k', random.Next(1000, 8000)), () => "ünï")));
        }

        return headers;
    }

    public string ContentType() => Pick(ContentTypes);

    /// <summary>Anything but the key as sent: nothing, garbage, other schemes, the key cut, grown, changed or repeated.</summary>
    private string? BadAuthorization(string key) => Pick<string?>(
        () => null,
        () => HeaderText(random.Next(0, 40)),
        () => "Bearer",
        () => "Bearer ",
        () => $"Bearer {HeaderText(random.Next(1, 60))}",
        () => $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + key))}",
        () => $"Bearer {key[..random.Next(key.Length)]}",
        () => $"Bearer {key}x{HeaderText(random.Next(0, 5)).Replace(" ", "", StringComparison.Ordinal)}",
        () => $"Bearer {Flip(key)}",
        () => $"Bearer ao_{new string('k', random.Next(100, 6000))}",
        () => $"Bearer {key} {key}",
        () => key,
        () => $"Bearer ey{HeaderText(random.Next(1, 200))}.{HeaderText(random.Next(1, 20))}.");

    private string Flip(string key)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var chars = key.ToCharArray();
        var at = random.Next(3, chars.Length);
        chars[at] = Alphabet[(Alphabet.IndexOf(chars[at], StringComparison.Ordinal) + random.Next(1, Alphabet.Length)) % Alphabet.Length];
        return new string(chars);
    }

    /// <summary>A body: JSON oddities, mutations of a valid one, bytes that are not UTF-8, or nothing at all.</summary>
    public byte[]? Body(JsonNode valid)
    {
        var json = valid.ToJsonString();
        return random.Next(12) switch
        {
            0 => null,
            1 => Utf8(Pick("null", "true", "1", "-1e400", "\"text\"", "[]", "{}", "[null]", "", " ", "{\"a\":1,\"a\":2}")),
            2 => Utf8(Deep(random.Next(10, 300))),
            3 => Utf8($"{{\"id\":\"{new string('h', random.Next(1000, 60000))}\"}}"),
            4 => [0xff, 0xfe, (byte)'{', 0xc0, 0xaf, 0xed, 0xa0, 0x80, (byte)'}'],
            5 => Utf8(json[..random.Next(json.Length)]),
            6 => Utf8(WrongTypes(valid)),
            7 => Utf8(Pick("id: [a", "&a [*a]", "? [a]: b", "!!binary AAAA", "---\n---\n", "\tid: x", "id: x\nid: y", ": -")),
            _ => Utf8(Mutate(json)),
        };
    }

    /// <summary>Each property of <paramref name="valid"/> in turn replaced by a value of another type.</summary>
    private string WrongTypes(JsonNode valid)
    {
        var copy = valid.DeepClone().AsObject();
        var names = copy.Select(p => p.Key).DefaultIfEmpty("reason").ToList();
        var name = names[random.Next(names.Count)];
        copy[name] = Pick<JsonNode?>(() => null, () => 1, () => -1.5e300, () => true, () => new JsonArray(), () => new JsonObject(), () => "", () => Text(5), () => long.MaxValue);
        return copy.ToJsonString();
    }

    private string Mutate(string json)
    {
        var text = new StringBuilder(json);
        for (var i = random.Next(1, 4); i > 0 && text.Length > 0; i--)
        {
            var at = random.Next(text.Length);
            switch (random.Next(3))
            {
                case 0: text.Remove(at, 1); break;
                case 1: text.Insert(at, Pick("{", "}", "[", "]", "\"", ",", ":", "\\", "null", "0", "-", "\u0000", "😀", "${{", "}}")); break;
                default: text[at] = (char)random.Next(32, 127); break;
            }
        }

        return text.ToString();
    }

    private string Deep(int depth) => random.Next(2) == 0
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private string Text(int length)
    {
        const string Alphabet = "abcXYZ019-_.~ /\\%?#&=+:;'\"<>{}[]éü😀\u0000\t";
        var builder = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            builder.Append(Alphabet[random.Next(Alphabet.Length)]);
        }

        return builder.ToString();
    }

    // What a client can put on the wire at all: no control characters, no half of a surrogate pair.
    private string HeaderText(int length) =>
        new(Text(length).Where(c => c >= ' ' && !char.IsSurrogate(c)).ToArray());

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private T Pick<T>(params T[] options) => options[random.Next(options.Length)];

    private T Pick<T>(params Func<T>[] options) => options[random.Next(options.Length)]();
}
