namespace AgentOrleans.Grains.Http;

/// <summary>
/// Which non-public destinations a guarded client may reach: every one (<paramref name="AllowPrivateNetworks"/>),
/// or those <paramref name="AllowedHosts"/> names (host names, IP addresses or CIDR ranges).
/// </summary>
public sealed record OutboundRules(bool AllowPrivateNetworks, IReadOnlyList<string> AllowedHosts);
