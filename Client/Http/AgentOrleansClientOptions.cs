namespace AgentOrleans.Client.Http;

/// <summary>Where the API is and how to call it.</summary>
public sealed class AgentOrleansClientOptions
{
    /// <summary>The API's base address. Default http://127.0.0.1:5080/ (the embedded default).</summary>
    public Uri BaseAddress { get; set; } = new("http://127.0.0.1:5080/");

    /// <summary>An API key (<c>ao_…</c>) or a JWT, sent as <c>Authorization: Bearer</c>; none when the API runs without authentication.</summary>
    public string? ApiKey { get; set; }
}
