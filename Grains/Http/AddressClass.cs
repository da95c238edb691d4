namespace AgentOrleans.Grains.Http;

/// <summary>What kind of network an IP address belongs to, as the outbound guard sees it.</summary>
public enum AddressClass
{
    /// <summary>Anything not listed below: reachable on the internet.</summary>
    Public,

    /// <summary>127.0.0.0/8, ::1.</summary>
    Loopback,

    /// <summary>169.254.0.0/16 (cloud metadata services live here), fe80::/10.</summary>
    LinkLocal,

    /// <summary>10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, and the deprecated IPv6 site-local fec0::/10.</summary>
    Private,

    /// <summary>100.64.0.0/10, carrier-grade NAT.</summary>
    SharedAddressSpace,

    /// <summary>fc00::/7.</summary>
    UniqueLocal,

    /// <summary>224.0.0.0/4, 255.255.255.255, ff00::/8.</summary>
    Multicast,

    /// <summary>0.0.0.0/8 and ::; Linux connects 0.0.0.0 to the local host.</summary>
    Unspecified,
}
