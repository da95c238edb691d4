using System.Collections.Concurrent;
using System.Net;
using AgentOrleans.Grains.Http;

namespace AgentOrleans.Tests.Http;

/// <summary>A resolver that maps every name to 127.0.0.1, as a hostile DNS answer would, and counts lookups.</summary>
public sealed class RecordingResolver : IHostResolver
{
    public ConcurrentDictionary<string, int> Lookups { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Lookups.AddOrUpdate(host, 1, (_, n) => n + 1);
        return Task.FromResult(new[] { IPAddress.Loopback });
    }
}
