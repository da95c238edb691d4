namespace AgentOrleans.Grains.Hosting;

/// <summary>Names of the storage providers grains use; hosting registers each one.</summary>
public static class StorageNames
{
    /// <summary>Grain state of definitions and executions.</summary>
    public const string Grains = "agentorleans";

    /// <summary>Orleans' stream pub-sub state; this exact name is required by Orleans.</summary>
    public const string PubSub = "PubSubStore";
}
