using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Http;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Steps.BuiltIn;

/// <summary>
/// One HTTP request through <see cref="IHttpClientFactory"/>; the named client carries the
/// per-host resilience pipeline (timeout, retry, circuit breaker). Output:
/// <c>{status, headers, body}</c> with a JSON body parsed. A status outside <c>successStatus</c>
/// (default: 2xx) fails the attempt: <c>HttpStatusError</c>, retryable for 408, 429 and 5xx only.
/// A destination the <see cref="OutboundGuard"/> refuses (a private address, also after a redirect)
/// fails it with <c>DestinationNotAllowed</c>, never retried.
/// </summary>
public sealed class HttpStep(IHttpClientFactory clients, IOptions<HttpStepOptions> options) : IStep
{
    public const string ClientName = "agentorleans.http";

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

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

    public async Task<StepResult> ExecuteAsync(StepContext context)
    {
        var settings = context.Settings;
        var method = new HttpMethod(SettingsReader.ReadString(settings, "method") ?? "GET");
        var url = SettingsReader.ReadString(settings, "url") ?? "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new StepException("InvalidUrl", $"'{url}' is not an absolute http or https URL", retryable: false);
        }

        using var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", context.IdempotencyKey);
        foreach (var (name, value) in settings["headers"] as JsonObject ?? [])
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
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var text = await ReadLimitedAsync(response.Content, timeout.Token);
            if (!IsSuccess(settings, status))
            {
                throw new StepException("HttpStatusError", $"{method} {uri} answered {status}", retryable: status is 408 or 429 or >= 500);
            }

            return new StepResult(new JsonObject
            {
                ["status"] = status,
                ["headers"] = Headers(response.Content.Headers),
                ["body"] = ParseBody(response.Content.Headers.ContentType, text),
            });
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            throw new StepException("HttpTimeout", $"{method} {uri} did not answer in time");
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
            throw new StepException("HttpRequestError", $"{method} {uri} failed: {ex.Message}", inner: ex);
        }
    }

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

    private static JsonObject Headers(HttpContentHeaders headers) =>
        headers.ContentType is { } type ? new JsonObject { ["content-type"] = type.ToString() } : [];

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
