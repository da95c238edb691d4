using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Pools;
using AgentOrleans.Grains.Usage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// Streams one chat completion from an OpenAI-compatible provider: <c>POST {baseUrl}/chat/completions</c>
/// with <c>"stream": true</c>, each content delta handed to the caller as it arrives. The named
/// client has no retry handler of its own: a streamed answer cannot be replayed transparently, so
/// failures go to the node's retry policy, where events tell readers what happened. A provider
/// bound to a cluster pool (<see cref="LlmProviderOptions.Pool"/>) is called only while holding one
/// of its permits, so the cluster never has more calls to it in flight than the pool allows.
/// </summary>
public sealed partial class ChatClient(IHttpClientFactory clients, IOptions<LlmOptions> options, ClusterPermits permits, UsageMeter usage, TimeProvider time, ILogger<ChatClient> logger)
{
    public const string HttpClientName = "agentorleans.llm";

    public async Task<ChatTurn> CompleteAsync(ChatRequest request, Func<string, ValueTask> onToken, ChatCaller caller, CancellationToken cancellationToken)
    {
        if (!options.Value.Providers.TryGetValue(request.Provider, out var provider) || string.IsNullOrWhiteSpace(provider.BaseUrl))
        {
            throw new StepException("ProviderNotConfigured", $"no model provider '{request.Provider}' is configured (AgentOrleans:Llm:Providers:{request.Provider}:BaseUrl)", retryable: false);
        }

        await usage.CheckAsync(request.Provider, provider, request, caller, cancellationToken);

        // Held for the whole call, streaming included, and given back however it ends.
        await using var permit = provider.Pool is { } pool
            ? await permits.AcquireAsync(pool, caller.CallId, count: 1, caller.Priority, waiting: null, cancellationToken)
            : null;
        ChatTurn turn;
        try
        {
            turn = await CallAsync(provider, request, onToken, caller.ExecutionId, cancellationToken);
        }
        catch (StepException ex) when (ex.RetryAfter is { } retryAfter)
        {
            await usage.HoldAsync(request.Provider, provider, retryAfter);
            throw;
        }

        await usage.RecordAsync(request.Provider, provider, request, turn, caller, cancellationToken);
        return turn;
    }

    private async Task<ChatTurn> CallAsync(LlmProviderOptions provider, ChatRequest request, Func<string, ValueTask> onToken, string executionId, CancellationToken cancellationToken)
    {
        var model = request.Model ?? provider.Model;
        var uri = new Uri(provider.BaseUrl.TrimEnd('/') + "/chat/completions");
        using var message = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(request.ToBody(model).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(provider.ApiKey))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", provider.ApiKey);
        }

        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        LogCalling(logger, executionId, request.Provider, model);
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new StepException("ProviderUnreachable", $"model provider '{request.Provider}' could not be reached: {ex.HttpRequestError}", inner: ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StepException("ProviderTimeout", $"model provider '{request.Provider}' did not answer within {options.Value.RequestTimeout}");
        }

        using (response)
        {
            await ThrowOnErrorAsync(response, request.Provider, executionId, timeout.Token);
            try
            {
                var turn = await ReadStreamAsync(response, model, onToken, timeout.Token);
                LogAnswered(logger, executionId, request.Provider, turn.Model, turn.Usage.PromptTokens, turn.Usage.CompletionTokens, turn.ToolCalls.Count);
                return turn;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested && !timeout.IsCancellationRequested))
            {
                LogInterrupted(logger, executionId, request.Provider);
                throw new StepException("StreamInterrupted", $"the answer stream of model provider '{request.Provider}' ended before [DONE]", inner: ex);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new StepException("ProviderTimeout", $"model provider '{request.Provider}' did not finish within {options.Value.RequestTimeout}");
            }
        }
    }

    private async Task ThrowOnErrorAsync(HttpResponseMessage response, string provider, string executionId, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var retryAfter = RetryAfterHeader.Read(response.Headers.RetryAfter, time.GetUtcNow());
            LogRateLimited(logger, executionId, provider, retryAfter);
            throw new StepException("ProviderRateLimited", $"model provider '{provider}' answered 429 Too Many Requests{(retryAfter is { } r ? $"; retry after {r.TotalSeconds:0.###} s" : "")}")
            {
                RetryAfter = retryAfter,
            };
        }

        // The provider's error text helps (a wrong model name), but it is bounded and never holds our key.
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        text = text.Length > 500 ? text[..500] : text;
        throw new StepException(
            "ProviderError",
            $"model provider '{provider}' answered {status}: {text}",
            retryable: status is 408 or >= 500);
    }

    private static async Task<ChatTurn> ReadStreamAsync(HttpResponseMessage response, string model, Func<string, ValueTask> onToken, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var answer = new StreamedAnswer(model);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            if (item.Data == "[DONE]")
            {
                return answer.ToTurn();
            }

            JsonNode? chunk;
            try
            {
                chunk = JsonNode.Parse(item.Data);
            }
            catch (JsonException ex)
            {
                throw new StepException("ProviderError", $"the provider sent a chunk that is not JSON: {ex.Message}");
            }

            if (answer.Apply(chunk) is { Length: > 0 } token)
            {
                await onToken(token);
            }
        }

        throw new IOException("the stream ended without [DONE]");
    }

    [LoggerMessage(1, LogLevel.Debug, "Execution {ExecutionId}: calling model provider {Provider} with model {Model}")]
    private static partial void LogCalling(ILogger logger, string executionId, string provider, string model);

    [LoggerMessage(2, LogLevel.Information, "Execution {ExecutionId}: provider {Provider} model {Model} answered ({PromptTokens} prompt, {CompletionTokens} completion tokens, {ToolCalls} tool calls)")]
    private static partial void LogAnswered(ILogger logger, string executionId, string provider, string model, int promptTokens, int completionTokens, int toolCalls);

    [LoggerMessage(3, LogLevel.Warning, "Execution {ExecutionId}: provider {Provider} is rate limiting; retry after {RetryAfter}")]
    private static partial void LogRateLimited(ILogger logger, string executionId, string provider, TimeSpan? retryAfter);

    [LoggerMessage(4, LogLevel.Warning, "Execution {ExecutionId}: the answer stream of provider {Provider} was interrupted")]
    private static partial void LogInterrupted(ILogger logger, string executionId, string provider);
}
