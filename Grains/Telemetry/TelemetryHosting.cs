using AgentOrleans.Grains.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgentOrleans.Grains.Telemetry;

public static class TelemetryHosting
{
    /// <summary>
    /// OpenTelemetry for a host (Api or Silo): the AgentOrleans, GenAI (model calls), Orleans and .NET runtime meters, ASP.NET
    /// Core and HttpClient instrumentation, Prometheus text at <c>/metrics</c>; traces (the AgentOrleans
    /// and GenAI activity sources, Orleans grain calls, ASP.NET Core, HttpClient) and OTLP metrics only when
    /// <c>AgentOrleans:Telemetry:OtlpEndpoint</c> is set.
    /// </summary>
    public static IServiceCollection AddAgentOrleansTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName)).ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton<AgentOrleansMetrics>();
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                // Resolving the metrics class here creates its observable instruments before the first scrape.
                // "Microsoft.Orleans": the runtime's own meter (grain calls, activations, messaging).
                // "System.Runtime": .NET's own (GC collections and pause time, allocations, heap, JIT, thread pool):
                // start latency on a busy host is mostly GC pauses, so operators need to see them.
                // GenAiTelemetry: the model calls' gen_ai.client.* metrics, from Microsoft.Extensions.AI's OpenTelemetry chat client.
                metrics.AddMeter(AgentOrleansMetrics.MeterName, GenAiTelemetry.SourceName, "Microsoft.Orleans", "System.Runtime")
                    .AddInstrumentation(sp => sp.GetRequiredService<AgentOrleansMetrics>())
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (options.OtlpEndpoint is { } endpoint)
        {
            // Spans only where they go somewhere: with no exporter, a tracer provider still creates and records an
            // Activity for every request and grain call for nobody (docs/decisions.md#spans-only-with-an-otlp-endpoint).
            // Trace context still flows without it: the ASP.NET Core and Orleans propagation need no provider.
            otel.WithMetrics(m => m.AddOtlpExporter(o => o.Endpoint = endpoint))
                .WithTracing(tracing => tracing
                    .AddSource(AgentOrleansTracing.SourceName, GenAiTelemetry.SourceName, "Microsoft.Orleans.Application")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddOtlpExporter(o => o.Endpoint = endpoint));
        }

        return services;
    }

    /// <summary>Prometheus text exposition at <c>/metrics</c> unless <c>AgentOrleans:Telemetry:Prometheus</c> is false; the <c>admin</c> scope with authentication on.</summary>
    public static IEndpointRouteBuilder MapAgentOrleansMetrics(this IEndpointRouteBuilder routes, IConfiguration configuration)
    {
        if (configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>()?.Prometheus ?? true)
        {
            routes.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Scopes.Admin);
        }

        return routes;
    }
}
