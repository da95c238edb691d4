namespace AgentOrleans.Grains.Steps.BuiltIn;

/// <summary>Limits of the <c>http</c> step. Section <c>AgentOrleans:Http</c>.</summary>
public sealed class HttpStepOptions
{
    public const string SectionName = "AgentOrleans:Http";

    /// <summary>Largest response body read; a larger one fails the attempt. Default 1 MiB.</summary>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Per-request timeout when the node's settings give none. Default 30 s.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
