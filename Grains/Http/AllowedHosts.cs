using System.Net;

namespace AgentOrleans.Grains.Http;

/// <summary>An allow list of host names, IP addresses and CIDR ranges, parsed once.</summary>
public sealed class AllowedHosts
{
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _networks = [];

    public AllowedHosts(IEnumerable<string> entries)
    {
        foreach (var entry in entries)
        {
            if (TryParseNetwork(entry, out var network))
            {
                _networks.Add(network);
            }
            else if (IsHostName(entry))
            {
                _names.Add(TrimName(entry));
            }
            else
            {
                throw new ArgumentException($"'{entry}' is neither a host name, an IP address nor a CIDR range", nameof(entries));
            }
        }
    }

    /// <summary>Why an entry cannot be used, or null when it can: what options validation reports.</summary>
    public static string? Problem(string? entry) =>
        string.IsNullOrWhiteSpace(entry) ? "is empty"
        : TryParseNetwork(entry, out _) || IsHostName(entry) ? null
        : $"'{entry}' is neither a host name, an IP address nor a CIDR range (wildcards are not supported)";

    public bool Allows(string host, IPAddress address)
    {
        if (_names.Contains(TrimName(host)))
        {
            return true;
        }

        var normalized = AddressClassifier.Normalize(address);
        return _networks.Exists(n => n.Contains(normalized) || n.Contains(address));
    }

    private static bool TryParseNetwork(string entry, out IPNetwork network)
    {
        var text = entry.Trim().TrimStart('[').Replace("]", "", StringComparison.Ordinal);
        if (IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
        {
            var normalized = AddressClassifier.Normalize(address);
            network = new IPNetwork(normalized, normalized.GetAddressBytes().Length * 8);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }

    private static bool IsHostName(string entry) => Uri.CheckHostName(TrimName(entry)) == UriHostNameType.Dns;

    // "example.com." and "example.com" are the same name to DNS.
    private static string TrimName(string host) => host.Trim().TrimEnd('.');
}
