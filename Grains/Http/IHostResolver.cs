using System.Net;

namespace AgentOrleans.Grains.Http;

/// <summary>Resolves a host name to addresses for the outbound guard; a seam so tests can point a name at 127.0.0.1.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
