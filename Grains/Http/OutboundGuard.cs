using System.Net;
using System.Net.Sockets;

namespace AgentOrleans.Grains.Http;

/// <summary>
/// Refuses connections to loopback, link-local, private, shared, unique-local, multicast and
/// unspecified addresses unless <see cref="OutboundRules"/> allows them. It decides at connect
/// time, on the addresses the host name resolved to, so a public-looking name that resolves to
/// 127.0.0.1, and every redirect (a new connection through the same callback), is judged the same way.
/// </summary>
public sealed class OutboundGuard(OutboundRules rules, IHostResolver resolver)
{
    private readonly AllowedHosts _allowed = new(rules.AllowedHosts);

    /// <summary>Whether <paramref name="host"/> may be reached at <paramref name="address"/> (one it resolved to).</summary>
    public bool IsAllowed(string host, IPAddress address) =>
        rules.AllowPrivateNetworks
        || AddressClassifier.Classify(address) == AddressClass.Public
        || _allowed.Allows(host, address);

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves, refuses or connects to the allowed addresses only.</summary>
    /// <exception cref="DestinationNotAllowedException">No address the host resolved to is allowed.</exception>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        // SocketsHttpHandler may pass an IPv6 literal in brackets.
        var host = context.DnsEndPoint.Host.TrimStart('[').TrimEnd(']');
        var port = context.DnsEndPoint.Port;
        var addresses = await ResolveAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // Connecting only to the allowed ones keeps a name with one public and one private address usable and safe.
        var allowed = Array.FindAll(addresses, a => IsAllowed(host, a));
        if (allowed.Length == 0)
        {
            throw new DestinationNotAllowedException(host, addresses[0], AddressClassifier.Classify(addresses[0]));
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A handler whose every connection, redirects included, goes through <see cref="ConnectAsync"/>.</summary>
    public SocketsHttpHandler CreateHandler(bool followRedirects = true) => new()
    {
        ConnectCallback = ConnectAsync,
        // Through a proxy the callback would see the proxy's address, not the destination's.
        UseProxy = false,
        AllowAutoRedirect = followRedirects,
    };

    private Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host, out var address)
            ? Task.FromResult(new[] { address })
            : resolver.ResolveAsync(host, cancellationToken);
}
