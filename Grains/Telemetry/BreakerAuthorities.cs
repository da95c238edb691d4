namespace AgentOrleans.Grains.Telemetry;

/// <summary>
/// Reports every authority the http step calls to the breaker-state gauge as closed, so operators
/// see one series per downstream host from its first call, not only once its breaker has moved.
/// </summary>
internal sealed class BreakerAuthorities(AgentOrleansMetrics metrics) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            metrics.BreakerSeen(uri.Authority);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
