using System.Net;

namespace AgentOrleans.Grains.Http;

/// <summary>The system resolver, as SocketsHttpHandler would use it.</summary>
public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
