using System.Net;

namespace AgentOrleans.Grains.Http;

/// <summary>Which <see cref="AddressClass"/> an address is in; IPv4-mapped IPv6 addresses are classed as the IPv4 address they carry.</summary>
public static class AddressClassifier
{
    private static readonly (IPNetwork Network, AddressClass Class)[] Ranges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), AddressClass.Unspecified),
        (IPNetwork.Parse("127.0.0.0/8"), AddressClass.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), AddressClass.LinkLocal),
        (IPNetwork.Parse("10.0.0.0/8"), AddressClass.Private),
        (IPNetwork.Parse("172.16.0.0/12"), AddressClass.Private),
        (IPNetwork.Parse("192.168.0.0/16"), AddressClass.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressClass.SharedAddressSpace),
        (IPNetwork.Parse("224.0.0.0/4"), AddressClass.Multicast),
        (IPNetwork.Parse("255.255.255.255/32"), AddressClass.Multicast),
        (IPNetwork.Parse("::/128"), AddressClass.Unspecified),
        (IPNetwork.Parse("::1/128"), AddressClass.Loopback),
        (IPNetwork.Parse("fe80::/10"), AddressClass.LinkLocal),
        (IPNetwork.Parse("fec0::/10"), AddressClass.Private),
        (IPNetwork.Parse("fc00::/7"), AddressClass.UniqueLocal),
        (IPNetwork.Parse("ff00::/8"), AddressClass.Multicast),
    ];

    public static AddressClass Classify(IPAddress address)
    {
        var normalized = Normalize(address);
        foreach (var (network, kind) in Ranges)
        {
            if (network.Contains(normalized))
            {
                return kind;
            }
        }

        return AddressClass.Public;
    }

    /// <summary>
    /// ::ffff:127.0.0.1 reaches 127.0.0.1 through a dual-mode socket, so it must be judged as
    /// 127.0.0.1; IPNetwork.Contains alone never matches across address families.
    /// </summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Lower-case words for messages: "loopback", "link-local", "shared (CGNAT)".</summary>
    public static string Describe(this AddressClass kind) => kind switch
    {
        AddressClass.LinkLocal => "link-local",
        AddressClass.SharedAddressSpace => "shared (CGNAT)",
        AddressClass.UniqueLocal => "unique-local",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
