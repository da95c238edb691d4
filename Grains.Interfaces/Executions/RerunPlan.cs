namespace AgentOrleans.Grains.Executions;

/// <summary>
/// One node a run completed, with what its result overwrote in the run's state: the keys it set and each one's value
/// before (its JSON, or null when the key was absent). Undoing the steps after a node, newest first, gives back the
/// state the run had before that node, without a copy of the state per node.
/// </summary>
[GenerateSerializer, Alias("AgentOrleans.PathStep")]
public sealed record PathStep(
    [property: Id(0)] string NodeId,
    [property: Id(1)] int Visit,
    [property: Id(2)] Dictionary<string, string?> Prior);

/// <summary>What a re-run starts from: the original (its grain key), the node it begins at, and the state and path before that node.</summary>
[GenerateSerializer, Alias("AgentOrleans.RerunSeed")]
public sealed record RerunSeed(
    [property: Id(0)] string Of,
    [property: Id(1)] string FromNodeId,
    [property: Id(2)] string StateJson,
    [property: Id(3)] Dictionary<string, int> Visits,
    [property: Id(4)] List<PathStep> Path);

/// <summary>The answer of an original to "re-run from this node": the start command for the new execution, or why not.</summary>
[GenerateSerializer, Alias("AgentOrleans.RerunPlan")]
public sealed record RerunPlan(
    [property: Id(0)] RerunOutcome Outcome,
    [property: Id(1)] string Message,
    [property: Id(2)] StartExecution? Start);

[GenerateSerializer, Alias("AgentOrleans.RerunOutcome")]
public enum RerunOutcome
{
    /// <summary>The plan holds the start of the new execution.</summary>
    Ready,
    /// <summary>No execution has this id.</summary>
    NotFound,
    /// <summary>The original has not ended: it is re-run once it has.</summary>
    NotEnded,
    /// <summary>The workflow has no node of that id.</summary>
    UnknownNode,
    /// <summary>The original never reached that node, so there is no state before it to start from.</summary>
    NotReached,
    /// <summary>The original passed that node longer ago than its kept path reaches.</summary>
    NotKept,
}
