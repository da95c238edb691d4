using System.ClientModel;
using System.Text.Json;
using AgentOrleans.Grains.Http;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// What a failed model call means for the node: rate limited (with the provider's <c>Retry-After</c>), an error
/// answer, a destination the outbound guard refuses, unreachable, too slow, or a stream cut short. Null: not a provider failure (the caller cancelled, or
/// the step already decided), so the exception goes on as it is.
/// </summary>
internal static class ProviderFailure
{
    private const int MaxErrorText = 500;

    public static StepException? From(Exception ex, string provider, bool started, DateTimeOffset now, TimeSpan requestTimeout, CancellationToken caller, CancellationToken call)
    {
        if (caller.IsCancellationRequested || ex is StepException)
        {
            return null;
        }

        if (DestinationNotAllowedException.In(ex) is { } refused)
        {
            return new StepException(
                "DestinationNotAllowed",
                $"model provider '{provider}' refused: {refused.Message} (allow it with {HttpStepOptions.SectionName}:AllowedHosts or AllowPrivateNetworks)",
                retryable: false,
                inner: ex);
        }

        return ex switch
        {
            ClientResultException { Status: 429 } limited => RateLimited(limited, provider, now),
            ClientResultException { Status: > 0 and var status } answered => new StepException(
                "ProviderError",
                $"model provider '{provider}' answered {status}: {Bounded(answered.Message)}",
                retryable: status is 408 or >= 500,
                inner: ex),
            OperationCanceledException or ClientResultException { InnerException: OperationCanceledException } when call.IsCancellationRequested || !started =>
                new StepException("ProviderTimeout", $"model provider '{provider}' did not {(started ? "finish" : "answer")} within {requestTimeout}", inner: ex),
            ClientResultException { InnerException: HttpRequestException http } when !started =>
                new StepException("ProviderUnreachable", $"model provider '{provider}' could not be reached: {http.HttpRequestError}", inner: ex),
            HttpRequestException http when !started =>
                new StepException("ProviderUnreachable", $"model provider '{provider}' could not be reached: {http.HttpRequestError}", inner: ex),
            IOException or HttpRequestException or OperationCanceledException or ClientResultException =>
                new StepException("StreamInterrupted", $"the answer stream of model provider '{provider}' was cut before the answer was finished", inner: ex),
            JsonException json => new StepException("ProviderError", $"model provider '{provider}' sent a chunk that is not JSON: {Bounded(json.Message)}", inner: ex),
            _ => null,
        };
    }

    private static StepException RateLimited(ClientResultException ex, string provider, DateTimeOffset now)
    {
        var retryAfter = ex.GetRawResponse()?.Headers.TryGetValue("Retry-After", out var value) == true ? RetryAfterHeader.Read(value, now) : null;
        return new StepException(
            "ProviderRateLimited",
            $"model provider '{provider}' answered 429 Too Many Requests{(retryAfter is { } r ? $"; retry after {r.TotalSeconds:0.###} s" : "")}",
            inner: ex)
        {
            RetryAfter = retryAfter,
        };
    }

    // The provider's error text helps (a wrong model name), but it is bounded and never holds our key.
    private static string Bounded(string text) => text.Length > MaxErrorText ? text[..MaxErrorText] : text;
}
