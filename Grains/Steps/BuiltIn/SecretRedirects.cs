using System.Net;
using AgentOrleans.Grains.Secrets;

namespace AgentOrleans.Grains.Steps.BuiltIn;

/// <summary>
/// Redirects of a request that carries secrets, followed here rather than by the handler: .NET's own following
/// keeps custom headers (<c>X-Api-Key</c>) on a hop to another origin and drops only <c>Authorization</c>, so a
/// server could send a secret to any host it names. A hop to another origin drops every header holding a secret's
/// value; each hop still connects through the outbound guard.
/// </summary>
internal static class SecretRedirects
{
    /// <summary>The named client for requests with secrets: the http step's, without automatic redirects.</summary>
    public const string ClientName = "agentorleans.http.secrets";

    /// <summary>As many hops as a browser follows before giving up (Chromium's limit).</summary>
    public const int MaxHops = 20;

    /// <summary>
    /// Sends <paramref name="request"/> and follows its redirects, up to <see cref="MaxHops"/>; the last answer is
    /// returned (a redirect beyond the limit, or without a usable <c>Location</c>, as it is).
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, SecretValues values, CancellationToken cancellationToken)
    {
        var origin = request.RequestUri!;
        var current = request;
        var response = await client.SendAsync(current, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            for (var hop = 0; hop < MaxHops && Next(current, response, origin, values) is { } next; hop++)
            {
                response.Dispose();
                if (!ReferenceEquals(current, request))
                {
                    current.Dispose();
                }

                current = next;
                response = await client.SendAsync(current, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }

            return response;
        }
        finally
        {
            if (!ReferenceEquals(current, request))
            {
                // The answer's content stays readable: it does not depend on its request.
                current.Dispose();
            }
        }
    }

    private static HttpRequestMessage? Next(HttpRequestMessage sent, HttpResponseMessage response, Uri origin, SecretValues values)
    {
        if (response.StatusCode is not (HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
                or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect)
            || response.Headers.Location is not { } location)
        {
            return null;
        }

        var target = location.IsAbsoluteUri ? location : new Uri(sent.RequestUri!, location);
        if (target.Scheme is not ("http" or "https"))
        {
            return null;
        }

        // As browsers and SocketsHttpHandler do: 307 and 308 repeat the request, the others become a GET without a body.
        var repeats = response.StatusCode is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
        var next = new HttpRequestMessage(repeats || sent.Method == HttpMethod.Head ? sent.Method : HttpMethod.Get, target)
        {
            Content = repeats ? sent.Content : null,
        };
        var sameOrigin = Uri.Compare(origin, target, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;
        foreach (var (name, headerValues) in sent.Headers)
        {
            if (sameOrigin || !headerValues.Any(v => values.Scrub(v) != v))
            {
                next.Headers.TryAddWithoutValidation(name, headerValues);
            }
        }

        return next;
    }
}
