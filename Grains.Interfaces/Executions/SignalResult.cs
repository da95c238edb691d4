using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Executions;

/// <summary>What became of a signal.</summary>
[GenerateSerializer, Alias("AgentOrleans.SignalOutcome")]
public enum SignalOutcome
{
    /// <summary>Durable: taken by the node waiting for it, or buffered for the node that will.</summary>
    Accepted,

    /// <summary>A signal with the same idempotency key was accepted before; nothing changed.</summary>
    Duplicate,

    /// <summary>No execution has the id.</summary>
    NotFound,

    /// <summary>The execution has ended; <see cref="SignalResult.Status"/> says how.</summary>
    Finished,

    /// <summary>The buffer of signals no node has taken yet is full.</summary>
    BufferFull,

    /// <summary>The payload breaks the waiting node's schema; the signal was not taken and the node keeps waiting.</summary>
    Invalid,
}

/// <summary>The answer to a signal: the outcome, the signal's id when it was accepted, and the problems when not.</summary>
[GenerateSerializer, Immutable, Alias("AgentOrleans.SignalResult")]
public sealed record SignalResult(
    [property: Id(0)] SignalOutcome Outcome,
    [property: Id(1)] string? SignalId,
    [property: Id(2)] ExecutionStatus? Status,
    [property: Id(3)] string Message)
{
    [Id(4)] public IReadOnlyList<DefinitionProblem> Problems { get; init; } = [];
}
