using System.Diagnostics;
using System.Runtime.CompilerServices;
using AgentOrleans.Grains.Telemetry;
using Microsoft.Extensions.AI;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// Sits just inside the OpenTelemetry chat client, where <see cref="Activity.Current"/> is its <c>chat</c> span:
/// stamps the workflow, node and execution of the call on it, then takes them out of the options so the provider
/// never sees them. The library has no enrichment hook for its spans; this is the seam it offers.
/// </summary>
internal sealed class CallerTagsChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    private static readonly string[] Tags = [GenAiTelemetry.WorkflowTag, GenAiTelemetry.NodeTag, GenAiTelemetry.ExecutionTag, GenAiTelemetry.ProviderTag];

    /// <summary>The options of a call by <paramref name="caller"/>, carrying its tags to this client.</summary>
    public static ChatOptions Tag(ChatOptions options, ChatCaller caller, string provider)
    {
        options.AdditionalProperties ??= [];
        options.AdditionalProperties[GenAiTelemetry.WorkflowTag] = caller.WorkflowId;
        options.AdditionalProperties[GenAiTelemetry.NodeTag] = caller.NodeId;
        options.AdditionalProperties[GenAiTelemetry.ExecutionTag] = caller.ExecutionId;
        options.AdditionalProperties[GenAiTelemetry.ProviderTag] = provider;
        return options;
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Untag(options), cancellationToken);

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, Untag(options), cancellationToken))
        {
            yield return update;
        }
    }

    private static ChatOptions? Untag(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties)
        {
            return options;
        }

        var activity = Activity.Current;
        foreach (var tag in Tags)
        {
            if (properties.TryGetValue(tag, out var value))
            {
                activity?.SetTag(tag, value);
                properties.Remove(tag);
            }
        }

        return options;
    }
}
