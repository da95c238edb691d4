namespace AgentOrleans.Api;

/// <summary>Limits and timings of the HTTP API. Section <c>AgentOrleans:Api</c>.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "AgentOrleans:Api";

    /// <summary>Largest request body accepted; larger ones get 413. Default 1 MiB.</summary>
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Interval of the SSE heartbeat comment. Default 15 s.</summary>
    public TimeSpan SseHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Live events buffered per SSE client; a client that falls this far behind is disconnected
    /// (it resumes with Last-Event-ID) so it never slows the run or other clients. Default 1,024.
    /// </summary>
    public int SseClientBufferEvents { get; set; } = 1024;

    /// <summary>How long a live feed may stay quiet before the durable log is checked. Default 2 s.</summary>
    public TimeSpan LogPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest <c>?wait=</c> a status request may ask for. Default 60 s.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest <c>limit</c> of a JSON events page. Default 1,000.</summary>
    public int MaxEventsPageSize { get; set; } = 1000;

    /// <summary>
    /// Longest position of a read with children (<c>?include=children</c>): the SSE id, <c>Last-Event-ID</c> and
    /// <c>?after=</c>, which name every child still running (about 40 characters each). It keeps the header and
    /// the request line within Kestrel's limits (8 KiB for the line). A read whose next event would need a longer
    /// one ends with a problem instead; a longer one sent is refused with 400. Default 4,096.
    /// </summary>
    public int MaxMergedEventIdLength { get; set; } = 4096;

    /// <summary>Publish the workflows in <c>samples/</c> when the embedded default starts. Default true.</summary>
    public bool PreloadSamples { get; set; } = true;
}
