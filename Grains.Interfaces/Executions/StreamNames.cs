namespace AgentOrleans.Grains.Executions;

/// <summary>Names of the Orleans streams events are published on.</summary>
public static class StreamNames
{
    /// <summary>The stream provider; a client that subscribes must register one with the same name.</summary>
    public const string Provider = "ExecutionEvents";

    /// <summary>Stream namespace of one execution's events; the stream key is the execution id.</summary>
    public const string Execution = "execution";

    /// <summary>Stream namespace of every execution's events; the stream key is <see cref="AllKey"/>.</summary>
    public const string AllExecutions = "executions";

    public const string AllKey = "all";
}
