namespace AgentOrleans.Grains.Placement;

/// <summary>
/// Places a new execution on the compatible silo with the fewest executions active (queued or
/// running), ties broken at random. See <see cref="ExecutionLoadPlacementDirector"/>.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("AgentOrleans.ExecutionLoadPlacement")]
public sealed class ExecutionLoadPlacement : PlacementStrategy
{
    public static readonly ExecutionLoadPlacement Instance = new();
}
