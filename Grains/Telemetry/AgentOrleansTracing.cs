using System.Diagnostics;

namespace AgentOrleans.Grains.Telemetry;

/// <summary>The <c>AgentOrleans</c> activity source: spans <c>execution {workflow}</c> and <c>node {nodeId}</c>.</summary>
public static class AgentOrleansTracing
{
    public const string SourceName = "AgentOrleans";

    public static readonly ActivitySource Source = new(SourceName);
}
