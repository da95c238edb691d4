using AgentOrleans.Grains.Pools;
using AgentOrleans.Grains.Usage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// Streams one model answer through the provider's <see cref="IChatClient"/> (<see cref="ChatProviders"/>), each text
/// delta handed to the caller as it arrives. Nothing retries underneath: a streamed answer cannot be replayed
/// transparently, so failures go to the node's retry policy, where events tell readers what happened. A provider
/// bound to a cluster pool (<see cref="LlmProviderOptions.Pool"/>) is called only while holding one of its permits,
/// so the cluster never has more calls to it in flight than the pool allows.
/// </summary>
public sealed partial class ChatClient(ChatProviders providers, IOptions<LlmOptions> options, ClusterPermits permits, UsageMeter usage, TimeProvider time, ILogger<ChatClient> logger)
{
    private static readonly LlmProviderOptions Unconfigured = new();

    public async Task<ChatTurn> CompleteAsync(ChatRequest request, Func<string, ValueTask> onToken, ChatCaller caller, CancellationToken cancellationToken)
    {
        var (provider, client) = providers.Find(request.Provider)
            ?? throw new StepException("ProviderNotConfigured", $"no model provider '{request.Provider}' is configured (AgentOrleans:Llm:Providers:{request.Provider}:BaseUrl, or an IChatClient registered under that key)", retryable: false);

        // A client registered in DI without configuration has no settings of its own: no pool, no tokens-per-minute.
        var settings = provider ?? Unconfigured;
        await usage.CheckAsync(request.Provider, settings, request, caller, cancellationToken);

        // Held for the whole call, streaming included, and given back however it ends.
        await using var permit = provider?.Pool is { } pool
            ? await permits.AcquireAsync(pool, caller.CallId, count: 1, caller.Priority, waiting: null, cancellationToken)
            : null;
        ChatTurn turn;
        try
        {
            turn = await CallAsync(client, request, request.Model ?? NonEmpty(provider?.Model), onToken, caller, cancellationToken);
        }
        catch (StepException ex) when (ex.RetryAfter is { } retryAfter)
        {
            await usage.HoldAsync(request.Provider, settings, retryAfter);
            throw;
        }

        await usage.RecordAsync(request.Provider, settings, request, turn, caller, cancellationToken);
        return turn;
    }

    private async Task<ChatTurn> CallAsync(IChatClient client, ChatRequest request, string? model, Func<string, ValueTask> onToken, ChatCaller caller, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        LogCalling(logger, caller.ExecutionId, request.Provider, model ?? "(provider default)");
        var answer = new StreamedAnswer(model);
        var chatOptions = CallerTagsChatClient.Tag(request.ToOptions(model), caller, request.Provider);
        try
        {
            await foreach (var update in client.GetStreamingResponseAsync(request.ToMessages(), chatOptions, timeout.Token))
            {
                if (answer.Apply(update) is { Length: > 0 } token)
                {
                    await onToken(token);
                }
            }
        }
        catch (Exception ex) when (ProviderFailure.From(ex, request.Provider, answer.Started, time.GetUtcNow(), options.Value.RequestTimeout, cancellationToken, timeout.Token) is { } failure)
        {
            Log(failure, caller.ExecutionId, request.Provider);
            throw failure;
        }

        if (!answer.Finished)
        {
            LogInterrupted(logger, caller.ExecutionId, request.Provider);
            throw new StepException("StreamInterrupted", $"the answer stream of model provider '{request.Provider}' ended before the answer was finished");
        }

        var turn = answer.ToTurn();
        LogAnswered(logger, caller.ExecutionId, request.Provider, turn.Model, turn.Usage.PromptTokens, turn.Usage.CompletionTokens, turn.ToolCalls.Count);
        return turn;
    }

    private void Log(StepException failure, string executionId, string provider)
    {
        switch (failure.ErrorType)
        {
            case "ProviderRateLimited":
                LogRateLimited(logger, executionId, provider, failure.RetryAfter);
                break;
            case "StreamInterrupted":
                LogInterrupted(logger, executionId, provider);
                break;
        }
    }

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    [LoggerMessage(1, LogLevel.Debug, "Execution {ExecutionId}: calling model provider {Provider} with model {Model}")]
    private static partial void LogCalling(ILogger logger, string executionId, string provider, string model);

    [LoggerMessage(2, LogLevel.Information, "Execution {ExecutionId}: provider {Provider} model {Model} answered ({PromptTokens} prompt, {CompletionTokens} completion tokens, {ToolCalls} tool calls)")]
    private static partial void LogAnswered(ILogger logger, string executionId, string provider, string model, int promptTokens, int completionTokens, int toolCalls);

    [LoggerMessage(3, LogLevel.Warning, "Execution {ExecutionId}: provider {Provider} is rate limiting; retry after {RetryAfter}")]
    private static partial void LogRateLimited(ILogger logger, string executionId, string provider, TimeSpan? retryAfter);

    [LoggerMessage(4, LogLevel.Warning, "Execution {ExecutionId}: the answer stream of provider {Provider} was interrupted")]
    private static partial void LogInterrupted(ILogger logger, string executionId, string provider);
}
