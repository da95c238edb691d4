namespace AgentOrleans.Grains.Telemetry;

/// <summary>Metrics and trace export. Section <c>AgentOrleans:Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "AgentOrleans:Telemetry";

    /// <summary>OTLP collector address (such as <c>http://127.0.0.1:4317</c>); traces and metrics are pushed there when set. Default none.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Serve Prometheus text at <c>/metrics</c>. Default true.</summary>
    public bool Prometheus { get; set; } = true;
}
