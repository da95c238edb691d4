namespace AgentOrleans.Grains.Executions;

/// <summary>Names of the Orleans streams events are published on.</summary>
public static class StreamNames
{
    /// <summary>The stream provider; a client that subscribes must register one with the same name.</summary>
    public const string Provider = "ExecutionEvents";

    /// <summary>Stream namespace of one execution's events; the stream key is the execution id.</summary>
    public const string Execution = "execution";

    /// <summary>
    /// Stream namespace of every execution's events, split into <see cref="AllPartitionCount"/>
    /// streams keyed "0", "1", …: one stream for everything is one queue and one pulling agent for
    /// the whole cluster (measured: a drain of 3-step runs overflowed its 16,384-message memory
    /// queue). An execution always publishes on the same partition, so its events stay in order;
    /// a follower of all executions subscribes to every partition.
    /// </summary>
    public const string AllExecutions = "executions";

    public const int AllPartitionCount = 8;

    /// <summary>The keys of the all-executions partitions, to subscribe to every one of them.</summary>
    public static IEnumerable<string> AllPartitionKeys() =>
        Enumerable.Range(0, AllPartitionCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The key of the all-executions partition <paramref name="executionId"/> publishes on (a stable hash: the same on every silo).</summary>
    public static string AllPartitionKeyOf(string executionId) =>
        (Orleans.StableHash.ComputeHash(executionId) % AllPartitionCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
