namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>
/// One model provider. With a <see cref="BaseUrl"/> it is an endpoint of <see cref="Kind"/>; without one, the
/// <c>IChatClient</c> the host registered under the provider's name (<c>services.AddKeyedChatClient(name, …)</c>).
/// The key lives here only: never in definitions, events or logs.
/// </summary>
public sealed class LlmProviderOptions
{
    /// <summary>The only built-in kind: an OpenAI-compatible chat-completions endpoint.</summary>
    public const string OpenAiKind = "openai";

    /// <summary>The wire protocol of <see cref="BaseUrl"/>. Default <c>openai</c> (OpenAI-compatible), the only built-in kind.</summary>
    public string Kind { get; set; } = OpenAiKind;

    /// <summary>
    /// Base URL the paths are appended to, such as <c>https://api.openai.com/v1</c>. Required unless an
    /// <c>IChatClient</c> is registered under the provider's name.
    /// </summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Model used when a node's settings name none. Required with a <see cref="BaseUrl"/>.</summary>
    public string Model { get; set; } = "";

    /// <summary>Sent as <c>Authorization: Bearer …</c>; none when empty (a local server).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// A cluster pool (<c>AgentOrleans:Pools:Cluster:{name}</c>, such as <c>llm:openai</c>) every model call
    /// to this provider holds one permit of while it runs, streaming included: the provider's concurrency
    /// limit, shared by the whole cluster. Default: none (not limited).
    /// </summary>
    public string? Pool { get; set; }

    /// <summary>
    /// Tokens a minute the cluster may use of this provider (input and output), refilled each minute; a 429 with
    /// <c>Retry-After</c> holds it. A call waits while the minute's tokens are used up. Default 0: not limited.
    /// </summary>
    public long TokensPerMinute { get; set; }
}
