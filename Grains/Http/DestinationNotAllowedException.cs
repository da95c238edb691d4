using System.Net;

namespace AgentOrleans.Grains.Http;

/// <summary>
/// The outbound guard refused to connect. It names the host and the address class, never a URL:
/// the guard sees only host and port, so a query string (often holding a token) cannot leak.
/// </summary>
public sealed class DestinationNotAllowedException(string host, IPAddress address, AddressClass kind)
    : Exception(host == address.ToString()
        ? $"{host} is a {kind.Describe()} address, which is not an allowed destination"
        : $"{host} resolves to {address}, a {kind.Describe()} address, which is not an allowed destination")
{
    public string Host { get; } = host;

    public IPAddress Address { get; } = address;

    public AddressClass Class { get; } = kind;

    /// <summary>The refusal inside an exception chain (SocketsHttpHandler wraps what its ConnectCallback throws in an HttpRequestException).</summary>
    public static DestinationNotAllowedException? In(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DestinationNotAllowedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
