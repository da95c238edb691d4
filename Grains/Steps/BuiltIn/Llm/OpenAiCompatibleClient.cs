using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>An OpenAI-compatible endpoint as an <see cref="IChatClient"/>, sending through the given (named, guarded) HttpClient.</summary>
internal static class OpenAiCompatibleClient
{
    public static IChatClient Create(LlmProviderOptions provider, HttpClient http, TimeSpan requestTimeout)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(provider.BaseUrl),
            Transport = new HttpClientPipelineTransport(http),
            // A streamed answer cannot be replayed by a transparent retry: the node's retry policy, visible in events, is the one place retries happen.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = requestTimeout,
        };
        AuthenticationPolicy authentication = string.IsNullOrEmpty(provider.ApiKey)
            ? new NoAuthentication()
            : ApiKeyAuthenticationPolicy.CreateBearerAuthorizationPolicy(new ApiKeyCredential(provider.ApiKey));
#pragma warning disable OPENAI001 // The one public constructor that takes an authentication policy, so a keyless local server gets no Authorization header.
        return new OpenAI.Chat.ChatClient(provider.Model, authentication, options).AsIChatClient();
#pragma warning restore OPENAI001
    }

    /// <summary>A local server needs no key: the request goes out without an Authorization header.</summary>
    private sealed class NoAuthentication : AuthenticationPolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNext(message, pipeline, currentIndex);

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNextAsync(message, pipeline, currentIndex);
    }
}
