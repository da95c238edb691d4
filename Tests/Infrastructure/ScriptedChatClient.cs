using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentOrleans.Tests.Infrastructure;

/// <summary>
/// An <see cref="IChatClient"/> a host registers itself (<see cref="ClusterFixture.ScriptedProvider"/>): it streams
/// <c>Scripted: &lt;last user message&gt;</c> word by word, then usage, and keeps the options of every call.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    public ConcurrentQueue<(string Prompt, ChatOptions? Options)> Calls { get; } = new();

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = messages.Last(m => m.Role == ChatRole.User).Text;
        Calls.Enqueue((prompt, options?.Clone()));
        var words = $"Scripted: {prompt}".Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, i < words.Length - 1 ? words[i] + " " : words[i]) { ModelId = options?.ModelId };
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 3, OutputTokenCount = words.Length })])
        {
            FinishReason = ChatFinishReason.Stop,
        };
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
