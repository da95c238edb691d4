using System.Net.Http.Headers;
using System.Text;

namespace AgentOrleans.Tests.Fuzz;

/// <summary>One generated request, printable so a failure names exactly what was sent.</summary>
public sealed record FuzzRequest(string Method, string Path, IReadOnlyList<(string Name, string Value)> Headers, byte[]? Body, string? ContentType)
{
    /// <summary>The id put in the path, as generated (percent-escapes still in it).</summary>
    public string? Id { get; init; }

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(Path, UriKind.Relative));
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null && !message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType))
            {
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            }
        }

        return message;
    }

    public override string ToString()
    {
        var body = Body is null ? "" : Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 2000));
        var headers = string.Join(", ", Headers.Select(h => $"{h.Name}: {Short(h.Value)}"));
        return $"{Method} {Short(Path, 120)} [{headers}] ({ContentType ?? "no content type"}, {Body?.Length ?? 0} B) {body}";
    }

    private static string Short(string text, int length = 40) => text.Length <= length ? text : $"{text[..length]}…({text.Length})";
}
