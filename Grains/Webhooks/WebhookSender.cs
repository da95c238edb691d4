using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Webhooks;

/// <summary>
/// One attempt at one delivery: a signed POST through the http step's guard, redirects not followed. Only a 2xx answer
/// delivers; anything else, or no answer within the attempt timeout, is a failed attempt.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string ClientName = "AgentOrleans.Webhooks";

    public async Task<WebhookAttempt> SendAsync(string url, string secret, WebhookMessage message, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var timestamp = at.ToUnixTimeSeconds();
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(message.PayloadJson, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", message.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigner.Sign(secret, message.Id, timestamp, message.PayloadJson));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.AttemptTimeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return new WebhookAttempt(at, (int)response.StatusCode, null, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var error = ex is OperationCanceledException ? $"no answer within {options.Value.AttemptTimeout}" : ex.GetBaseException().Message;
            return new WebhookAttempt(at, null, error, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    public static bool Delivered(WebhookAttempt attempt) => attempt.StatusCode is >= 200 and < 300;
}
