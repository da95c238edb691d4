using AgentOrleans.Grains.Http;

namespace AgentOrleans.Grains.Steps.BuiltIn;

/// <summary>Limits of the <c>http</c> step. Section <c>AgentOrleans:Http</c>.</summary>
public sealed class HttpStepOptions
{
    public const string SectionName = "AgentOrleans:Http";

    /// <summary>Largest response body read; a larger one fails the attempt. Default 1 MiB.</summary>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Per-request timeout when the node's settings give none. Default 30 s.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests an authority's circuit breaker must see in its 30 s window before it may open. Default 100 (Polly's); at least 2.</summary>
    public int BreakerMinimumThroughput { get; set; } = 100;

    /// <summary>How long an open breaker rejects calls before one probe is let through. Default 5 s; at least 0.5 s.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Destinations allowed although their address is not public (see <see cref="AddressClass"/>): host names
    /// (matched on the URL's host, case-insensitive), IP addresses or CIDR ranges (matched on the address
    /// the host resolved to). Default empty: every loopback, link-local, private, shared, unique-local,
    /// multicast and unspecified address is refused.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>
    /// Allow every non-public destination, cloud metadata addresses (169.254.169.254) included: for
    /// development and closed networks only. Default false.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    internal OutboundRules Outbound => new(AllowPrivateNetworks, AllowedHosts);
}
