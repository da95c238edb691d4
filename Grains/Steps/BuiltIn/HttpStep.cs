using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Http;
using AgentOrleans.Grains.Secrets;
using AgentOrleans.Grains.Tenants;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Steps.BuiltIn;

/// <summary>
/// One HTTP request through <see cref="IHttpClientFactory"/>; the named client carries the
/// per-host resilience pipeline (timeout, retry, circuit breaker). Output:
/// <c>{status, headers, body}</c> with a JSON body parsed. A status outside <c>successStatus</c>
/// (default: 2xx) fails the attempt: <c>HttpStatusError</c>, retryable for 408, 429 and 5xx only.
/// A destination the <see cref="OutboundGuard"/> refuses (a private address, also after a redirect)
/// fails it with <c>DestinationNotAllowed</c>, never retried.
/// <para>
/// <c>url</c> and header values may reference secrets (<c>${{ secrets.NAME }}</c>, in the URL after its
/// host only). Their values are read from the <see cref="ISecretStore"/> as the request is sent and go
/// into the request alone: messages name the URL without its query, with placeholders for secrets,
/// and any value a message or the response would still hold is replaced by <c>***</c>.
/// </para>
/// </summary>
public sealed class HttpStep(IHttpClientFactory clients, IOptions<HttpStepOptions> options, ISecretStore secrets) : IStep
{
    public const string ClientName = "agentorleans.http";

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];
    private static readonly IReadOnlySet<string> Secret = new HashSet<string>(StringComparer.Ordinal) { "url", "headers" };

    public IReadOnlySet<string> SecretSettings => Secret;

    public void ValidateSettings(JsonObject? settings, SettingsValidation validation)
    {
        SettingsReader.RejectUnknown(settings, validation, "method", "url", "headers", "body", "timeout", "successStatus");
        if (!SettingsReader.IsString(settings?["url"]))
        {
            validation.Problem("/url", "is required: the URL to call (templates allowed)");
        }
        // On Unix "/path" is an absolute file URI, so the scheme is what tells a URL from a path.
        else if (!settings!["url"]!.GetValue<string>().Contains("${{", StringComparison.Ordinal)
            && !(Uri.TryCreate(settings["url"]!.GetValue<string>(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            validation.Problem("/url", "must be an absolute http or https URL");
        }
        else if (SecretBeforePath(settings["url"]!.GetValue<string>()))
        {
            validation.Problem("/url", SecretInOrigin);
        }

        if (settings?["method"] is { } method && !(SettingsReader.IsString(method) && Methods.Contains(method.GetValue<string>())))
        {
            validation.Problem("/method", $"must be one of {string.Join(", ", Methods)}");
        }

        if (settings?["headers"] is { } headers && !(headers is JsonObject h && h.All(p => SettingsReader.IsString(p.Value))))
        {
            validation.Problem("/headers", "must be an object of header names to strings");
        }

        SettingsReader.RequireDuration(settings, "timeout", validation, required: false);
        if (settings?["successStatus"] is { } codes && !(codes is JsonArray a && a.All(c => SettingsReader.IsWholeNumber(c, 100, 599))))
        {
            validation.Problem("/successStatus", "must be an array of HTTP status codes");
        }
    }

    private const string SecretInOrigin =
        "a secret may be used in the URL's path, query or fragment only: in its scheme, user info, host or port it would be named by logs, metrics and error messages";

    /// <summary>Whether the first placeholder of <paramref name="url"/> is a secret placed before the URL's path begins.</summary>
    private static bool SecretBeforePath(string url)
    {
        var first = url.IndexOf("${{", StringComparison.Ordinal);
        var close = first < 0 ? -1 : url.IndexOf("}}", first, StringComparison.Ordinal);
        if (close < 0 || !SecretReference.TryParse(url[(first + 3)..close], out _))
        {
            return false;
        }

        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return scheme < 0 || scheme > first || url.AsSpan(scheme + 3, first - scheme - 3).IndexOfAny('/', '?', '#') < 0;
    }

    public async Task<StepResult> ExecuteAsync(StepContext context)
    {
        var settings = context.Settings;
        var method = new HttpMethod(SettingsReader.ReadString(settings, "method") ?? "GET");
        // The settings as recorded hold each secret as its placeholder: what messages may name.
        var shown = SettingsReader.ReadString(settings, "url") ?? "";
        var named = RedactedUrl.Of(shown);
        var values = await ResolveSecretsAsync(context);
        try
        {
            return await SendAsync(context, method, shown, named, values);
        }
        catch (StepException ex) when (!values.IsEmpty)
        {
            // The defensive scrub: whatever a message still holds of a value, and no inner exception that could.
            throw new StepException(ex.ErrorType, values.Scrub(ex.Message), ex.Retryable) { RetryAfter = ex.RetryAfter };
        }
    }

    private async Task<SecretValues> ResolveSecretsAsync(StepContext context)
    {
        var names = context.SecretSettings.Values.SelectMany(t => t.SecretReferences).Select(r => r.Name);
        try
        {
            return await SecretValues.ResolveAsync(secrets, TenantKey.TenantOf(context.ExecutionId), names, context.CancellationToken);
        }
        catch (SecretNotFoundException ex)
        {
            throw new StepException("SecretNotFound", $"{ex.Message} ({ConfigurationSecretStore.SectionName}:{ex.Name}); it was when the definition was published", retryable: false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new StepException("SecretUnavailable", $"a secret could not be read: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task<StepResult> SendAsync(StepContext context, HttpMethod method, string shown, string named, SecretValues values)
    {
        var settings = context.Settings;
        var url = context.SecretSettings.TryGetValue("url", out var urlTemplate) && urlTemplate.Render(context.Scope, values) is JsonValue rendered
            ? rendered.GetValue<string>()
            : shown;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new StepException("InvalidUrl", $"'{named}' is not an absolute http or https URL", retryable: false);
        }

        // Where expressions come before a secret, only the rendered URL tells whether the secret reached the origin.
        if (urlTemplate is not null && !(Uri.TryCreate(shown, UriKind.Absolute, out var placeholders) && SameOrigin(placeholders, uri)))
        {
            throw new StepException("InvalidUrl", $"'{named}': {SecretInOrigin}", retryable: false);
        }

        using var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", context.IdempotencyKey);
        var headers = context.SecretSettings.TryGetValue("headers", out var headerTemplate) ? headerTemplate.Render(context.Scope, values) : settings["headers"];
        foreach (var (name, value) in headers as JsonObject ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value?.GetValue<string>());
        }

        if (settings["body"] is { } body)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(SettingsReader.ReadDuration(settings, "timeout") ?? options.Value.DefaultTimeout);
        try
        {
            using var response = values.IsEmpty
                ? await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                : await SecretRedirects.SendAsync(clients.CreateClient(SecretRedirects.ClientName), request, values, timeout.Token);
            var status = (int)response.StatusCode;
            // A server that echoes what it was sent must not put a secret into the output.
            var text = values.Scrub(await ReadLimitedAsync(response.Content, timeout.Token));
            if (!IsSuccess(settings, status))
            {
                throw new StepException("HttpStatusError", $"{method} {named} answered {status}", retryable: status is 408 or 429 or >= 500);
            }

            return new StepResult(new JsonObject
            {
                ["status"] = status,
                ["headers"] = Headers(response.Content.Headers, values),
                ["body"] = ParseBody(response.Content.Headers.ContentType, text),
            });
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            throw new StepException("HttpTimeout", $"{method} {named} did not answer in time");
        }
        catch (HttpRequestException ex) when (DestinationNotAllowedException.In(ex) is { } refused)
        {
            // The host, not the URL: a query string may carry a token.
            throw new StepException(
                "DestinationNotAllowed",
                $"{method} refused: {refused.Message} (allow it with {HttpStepOptions.SectionName}:AllowedHosts or AllowPrivateNetworks)",
                retryable: false,
                inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new StepException("HttpRequestError", $"{method} {named} failed: {ex.Message}", inner: ex);
        }
    }

    private static bool SameOrigin(Uri shown, Uri sent) =>
        shown.Scheme == sent.Scheme && shown.Authority == sent.Authority && shown.UserInfo == sent.UserInfo;

    private static bool IsSuccess(JsonObject settings, int status) =>
        settings["successStatus"] is JsonArray codes ? codes.Any(c => c?.GetValue<int>() == status) : status is >= 200 and < 300;

    private async Task<string> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxResponseBytes;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[limit + 1];
        var read = 0;
        int n;
        while (read <= limit && (n = await stream.ReadAsync(buffer.AsMemory(read, buffer.Length - read), cancellationToken)) > 0)
        {
            read += n;
        }

        if (read > limit)
        {
            throw new StepException("ResponseTooLarge", $"the response body exceeds {limit} bytes (AgentOrleans:Http:MaxResponseBytes)", retryable: false);
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static JsonObject Headers(HttpContentHeaders headers, SecretValues values) =>
        headers.ContentType is { } type ? new JsonObject { ["content-type"] = values.Scrub(type.ToString()) } : [];

    private static JsonNode? ParseBody(MediaTypeHeaderValue? contentType, string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (contentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // A server that mislabels its body still gets its text through.
            }
        }

        return JsonValue.Create(text);
    }
}
