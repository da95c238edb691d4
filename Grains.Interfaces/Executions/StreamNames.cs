namespace AgentOrleans.Grains.Executions;

/// <summary>Names of the Orleans streams events are published on.</summary>
public static class StreamNames
{
    /// <summary>The stream provider; a client that subscribes must register one with the same name.</summary>
    public const string Provider = "ExecutionEvents";

    /// <summary>
    /// Stream namespace of the execution events, split into <see cref="PartitionCount"/> streams
    /// keyed "0", "1", …. Every execution publishes on one partition (<see cref="PartitionOf"/>), so
    /// its events stay in order; a follower of one execution subscribes to its partition and keeps
    /// that execution's events; a follower of all executions subscribes to every partition.
    /// A few partitions, because one stream is a single queue for the whole cluster and a stream per
    /// execution costs a rendezvous grain per run: docs/decisions.md#event-stream-partitions.
    /// </summary>
    public const string Namespace = "executions";

    /// <summary>How many streams the namespace is split into.</summary>
    public const int PartitionCount = 8;

    /// <summary>The keys of the partitions, to subscribe to every one of them.</summary>
    public static IEnumerable<string> PartitionKeys() =>
        Enumerable.Range(0, PartitionCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The key of the partition <paramref name="executionId"/> publishes on (a stable hash: the same on every silo).</summary>
    public static string PartitionOf(string executionId) =>
        (Orleans.StableHash.ComputeHash(executionId) % PartitionCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
